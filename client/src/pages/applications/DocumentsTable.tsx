import { Anchor, Button, Table, Text, VisuallyHidden } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { applicationLinks, type ApplicationDocument } from "../../api/applications";
import { formatFileSize, formatInstant } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";

interface DocumentsTableProps {
  applicationId: string;
  documents: ApplicationDocument[];
  caption: string;
  /** Show the type column (the review and detail pages list every type together). */
  withType?: boolean;
  withDownload?: boolean;
  onDelete?: (document: ApplicationDocument) => void;
  deletingId?: string | null;
}

/** Name (a download link), size and date of each document; a delete button while the file may change. */
export function DocumentsTable({
  applicationId,
  documents,
  caption,
  withType = false,
  withDownload = true,
  onDelete,
  deletingId,
}: DocumentsTableProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (documents.length === 0) {
    return null;
  }
  return (
    <div className="table-scroll">
      <Table verticalSpacing="xs" className="documents-table">
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("applications.documents.name")}</Table.Th>
            {withType ? <Table.Th scope="col">{t("applications.documents.type")}</Table.Th> : null}
            <Table.Th scope="col">{t("applications.documents.size")}</Table.Th>
            <Table.Th scope="col">{t("applications.documents.uploadedAt")}</Table.Th>
            {onDelete ? (
              <Table.Th scope="col">
                <VisuallyHidden>{t("applications.documents.actions")}</VisuallyHidden>
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {documents.map((document) => (
            <Table.Tr key={document.id}>
              <Table.Th scope="row" className="document-name">
                {withDownload ? (
                  <Anchor href={applicationLinks.document(applicationId, document.id)} download={document.originalName}>
                    <bdi>{document.originalName}</bdi>
                    <VisuallyHidden>{t("applications.documents.download")}</VisuallyHidden>
                  </Anchor>
                ) : (
                  <bdi>{document.originalName}</bdi>
                )}
              </Table.Th>
              {withType ? <Table.Td>{t(`applications.documentTypes.${document.type}.title`)}</Table.Td> : null}
              <Table.Td className="nowrap">
                <bdi>{formatFileSize(document.size, language)}</bdi>
              </Table.Td>
              <Table.Td>
                <Text fz="sm">{formatInstant(document.uploadedAt, language)}</Text>
              </Table.Td>
              {onDelete ? (
                <Table.Td>
                  <Button
                    variant="outline"
                    color="red"
                    size="compact-md"
                    loading={deletingId === document.id}
                    onClick={() => onDelete(document)}
                  >
                    {t("applications.documents.delete")}
                    <VisuallyHidden>
                      {t("applications.documents.deleteWhich", { name: document.originalName })}
                    </VisuallyHidden>
                  </Button>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
