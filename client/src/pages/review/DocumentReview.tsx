import { Alert, Button, Group, Modal, Paper, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import {
  applicationLinks,
  CLAIM_DOCUMENT_TYPES,
  type Application,
  type ApplicationDocument,
  type DocumentVerdict,
} from "../../api/applications";
import { retryUnlessClientError } from "../../api/queries";
import { fetchImagePreview, isPreviewable, reviewApi } from "../../api/review";
import { sessionKeys } from "../../api/session";
import { Fact } from "../../components/Fact";
import { LoadingStatus } from "../../components/LoadingStatus";
import { formatFileSize, formatInstant } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { ActionErrorAlert, ReasonForm } from "./shared";

const VERDICT_CLASS: Record<DocumentVerdict, string> = {
  pending: "user-status--unverified",
  accepted: "user-status--active",
  rejected: "application-status--stopped",
};

export function VerdictBadge({ verdict }: { verdict: DocumentVerdict }) {
  const { t } = useTranslation();
  return <span className={`user-status ${VERDICT_CLASS[verdict]}`}>{t(`review.documents.verdicts.${verdict}`)}</span>;
}

/** Documents of the file itself, checked one by one; those of the claim are checked with it. */
export function isClaimDocument(document: ApplicationDocument): boolean {
  return document.claimId !== null || (CLAIM_DOCUMENT_TYPES as readonly string[]).includes(document.type);
}

function ImagePreview({ application, document }: { application: Application; document: ApplicationDocument }) {
  const { t } = useTranslation();
  const url = applicationLinks.document(application.id, document.id);
  const preview = useQuery({
    queryKey: [...sessionKeys.all, "document-preview", document.id],
    queryFn: ({ signal }) => fetchImagePreview(url, signal),
    staleTime: Infinity,
    retry: retryUnlessClientError,
  });
  if (preview.isPending) return <LoadingStatus label={t("review.documents.previewLoading")} />;
  if (preview.isError) {
    return (
      <Alert color="yellow" variant="light">
        {t("review.documents.previewFailed")}
      </Alert>
    );
  }
  return (
    <img
      src={preview.data}
      alt={t("review.documents.previewAlt", { name: document.originalName })}
      className="document-preview"
    />
  );
}

interface ViewerProps {
  application: Application;
  document: ApplicationDocument | undefined;
  headingRef: RefObject<HTMLHeadingElement | null>;
}

/** The chosen document: what it is, a preview for images, the download for everything. */
function DocumentViewer({ application, document, headingRef }: ViewerProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="document-viewer-title" className="document-viewer">
      <Stack gap="sm">
        <Title order={3} fz="h4" id="document-viewer-title" ref={headingRef} tabIndex={-1}>
          {document ? (
            <>
              <VisuallyHidden>{t("review.documents.viewerOf")}</VisuallyHidden>
              <bdi>{document.originalName}</bdi>
            </>
          ) : (
            t("review.documents.viewerTitle")
          )}
        </Title>
        {document ? (
          <>
            <dl className="facts">
              <Fact label={t("applications.documents.type")}>
                {t(`applications.documentTypes.${document.type}.title`)}
              </Fact>
              <Fact label={t("applications.documents.size")}>
                <bdi>{formatFileSize(document.size, language)}</bdi>
              </Fact>
              <Fact label={t("applications.documents.uploadedAt")}>{formatInstant(document.uploadedAt, language)}</Fact>
            </dl>
            <Text fz="sm" className="document-hash">
              {t("review.documents.sha256")}{" "}
              <code dir="ltr" className="document-hash__value">
                {document.sha256}
              </code>
            </Text>
            {isPreviewable(document.mimeType) ? (
              <ImagePreview key={document.id} application={application} document={document} />
            ) : (
              <Text>{t("review.documents.pdfNote")}</Text>
            )}
            <div>
              <Button
                component="a"
                href={applicationLinks.document(application.id, document.id)}
                download={document.originalName}
                variant="light"
                size="md"
                classNames={{ root: "wrap-button", label: "wrap-button__label" }}
              >
                {document.mimeType === "application/pdf"
                  ? t("review.documents.openPdf")
                  : t("review.documents.download")}
                <VisuallyHidden> {document.originalName}</VisuallyHidden>
              </Button>
            </div>
          </>
        ) : (
          <Text>{t("review.documents.viewerEmpty")}</Text>
        )}
      </Stack>
    </Paper>
  );
}

interface DocumentReviewProps {
  application: Application;
  selectedId: string | null;
  onSelect: (documentId: string) => void;
  viewerHeadingRef: RefObject<HTMLHeadingElement | null>;
  onVerdict: (document: ApplicationDocument, message: string) => void;
}

/** The documents viewer and the checklist: each document accepted, or rejected with a reason. */
export function DocumentReview({
  application,
  selectedId,
  onSelect,
  viewerHeadingRef,
  onVerdict,
}: DocumentReviewProps) {
  const { t } = useTranslation();
  const documents = application.documents.filter((document) => !isClaimDocument(document));
  const canVerify = application.permissions.verifyDocument === true;
  const [rejecting, setRejecting] = useState<ApplicationDocument | null>(null);
  const [opened, setOpened] = useState(false);
  const [instance, setInstance] = useState(0);
  const accept = useMutation({
    mutationFn: (document: ApplicationDocument) =>
      reviewApi.documentVerdict(application.id, document.id, "accepted", null),
    onSuccess: (updated) => onVerdict(updated, t("review.documents.acceptedAnnounce", { name: updated.originalName })),
  });
  const selected = application.documents.find((document) => document.id === selectedId);
  const pendingCount = documents.filter((document) => document.verdict === "pending").length;

  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="documents-title">
      <Stack gap="md">
        <Title order={2} id="documents-title">
          {t("review.documents.title")}
        </Title>
        <Text>
          {canVerify ? t("review.documents.introVerify", { count: pendingCount }) : t("review.documents.intro")}
        </Text>
        <ActionErrorAlert error={accept.error} />
        {documents.length === 0 ? (
          <Text className="empty-state">{t("applications.documents.none")}</Text>
        ) : (
          <div className="table-scroll">
            <Table verticalSpacing="xs" className="checklist-table">
              <Table.Caption className="table-caption">
                {t("review.documents.caption", { count: documents.length })}
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("applications.documents.type")}</Table.Th>
                  <Table.Th scope="col">{t("applications.documents.name")}</Table.Th>
                  <Table.Th scope="col">{t("review.documents.verdict")}</Table.Th>
                  {canVerify ? (
                    <Table.Th scope="col">
                      <VisuallyHidden>{t("applications.documents.actions")}</VisuallyHidden>
                    </Table.Th>
                  ) : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {documents.map((document) => (
                  <Table.Tr
                    key={document.id}
                    className={document.id === selectedId ? "checklist-table__row--selected" : undefined}
                  >
                    <Table.Th scope="row">{t(`applications.documentTypes.${document.type}.title`)}</Table.Th>
                    <Table.Td className="document-name">
                      <Button
                        variant="subtle"
                        size="compact-md"
                        aria-pressed={document.id === selectedId}
                        aria-controls="document-viewer-title"
                        onClick={() => onSelect(document.id)}
                        classNames={{ root: "wrap-button", label: "wrap-button__label" }}
                      >
                        <bdi>{document.originalName}</bdi>
                        <VisuallyHidden>{t("review.documents.show")}</VisuallyHidden>
                      </Button>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2} align="flex-start">
                        <VerdictBadge verdict={document.verdict} />
                        {document.verdict === "rejected" && document.verdictReason ? (
                          <Text fz="sm">{document.verdictReason}</Text>
                        ) : null}
                      </Stack>
                    </Table.Td>
                    {canVerify ? (
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Button
                            size="compact-md"
                            variant={document.verdict === "accepted" ? "light" : "filled"}
                            disabled={document.verdict === "accepted"}
                            loading={accept.isPending && accept.variables.id === document.id}
                            onClick={() => accept.mutate(document)}
                          >
                            {t("review.documents.accept")}
                            <VisuallyHidden>
                              {t("review.documents.which", { name: document.originalName })}
                            </VisuallyHidden>
                          </Button>
                          <Button
                            size="compact-md"
                            variant="outline"
                            color="red"
                            onClick={() => {
                              setRejecting(document);
                              setInstance((count) => count + 1);
                              setOpened(true);
                            }}
                          >
                            {t("review.documents.reject")}
                            <VisuallyHidden>
                              {t("review.documents.which", { name: document.originalName })}
                            </VisuallyHidden>
                          </Button>
                        </Group>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
        <DocumentViewer application={application} document={selected} headingRef={viewerHeadingRef} />
      </Stack>
      {rejecting ? (
        <Modal
          centered
          lockScroll={false}
          size="lg"
          opened={opened}
          onClose={() => setOpened(false)}
          title={t("review.documents.rejectTitle", { name: rejecting.originalName })}
          closeButtonProps={{ "aria-label": t("common.close") }}
        >
          <ReasonForm
            key={instance}
            formId="document-reject"
            label={t("review.documents.rejectReason")}
            hint={t("review.documents.rejectReasonHint")}
            serverPath="reason"
            minLength={1}
            requiredMessage={t("review.documents.rejectReasonRequired")}
            tooShortMessage={t("review.documents.rejectReasonRequired")}
            submitLabel={t("review.documents.rejectConfirm")}
            danger
            onCancel={() => setOpened(false)}
            onSubmit={async (reason) => {
              const updated = await reviewApi.documentVerdict(application.id, rejecting.id, "rejected", reason);
              setOpened(false);
              onVerdict(updated, t("review.documents.rejectedAnnounce", { name: updated.originalName }));
            }}
          />
        </Modal>
      ) : null}
    </Paper>
  );
}
