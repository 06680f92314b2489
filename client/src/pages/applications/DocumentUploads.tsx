import { Box, Progress, Stack, Text, Title, VisuallyHidden } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useRef, useState, type ChangeEvent } from "react";
import { useTranslation } from "react-i18next";
import {
  applicationsApi,
  type AnyDocumentType,
  type Application,
  type ApplicationDocument,
} from "../../api/applications";
import { ApiError } from "../../api/client";
import { applicationKeys } from "../../api/queries";
import { ACCEPTED_UPLOAD_TYPES, MAX_UPLOAD_BYTES, uploadDocument } from "../../api/uploads";
import type { SummaryItem } from "../../components/forms/ErrorSummary";
import { useLanguage } from "../../i18n/useLanguage";
import { DocumentsTable } from "./DocumentsTable";

// Document uploads shared by the wizard's documents step and the claim (demande de versement):
// each file is sent as soon as it is chosen, with a real progress bar, and can be deleted again.

export type Upload =
  | { status: "uploading"; fileName: string; percent: number }
  | { status: "done"; fileName: string }
  | { status: "failed"; fileName: string; message: string };

export const uploadInputId = (type: AnyDocumentType) => `document-${type}`;

export function uploadErrorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t("common.errors.network");
    return error.errors[0]?.message ?? error.detail ?? error.title;
  }
  return t("common.errors.generic");
}

interface TypeBlockProps {
  application: Application;
  type: AnyDocumentType;
  /** False when the block is alone in its group: the group's heading and text already name it. */
  titled: boolean;
  upload: Upload | undefined;
  onFile: (type: AnyDocumentType, file: File) => void;
  onDelete: (document: ApplicationDocument) => void;
  deletingId: string | null;
}

/** One kind of document: what it is, the files already sent, and a file input that sends at once. */
export function DocumentTypeBlock({ application, type, titled, upload, onFile, onDelete, deletingId }: TypeBlockProps) {
  const { t } = useTranslation();
  const id = uploadInputId(type);
  // Documents already part of a claim belong to it, not to what is being prepared.
  const documents = application.documents.filter((document) => document.type === type && !document.claimId);
  const failed = upload?.status === "failed" ? upload : null;
  const uploading = upload?.status === "uploading";
  const percent = upload?.status === "uploading" ? upload.percent : upload?.status === "done" ? 100 : 0;
  const title = t(`applications.documentTypes.${type}.title`);

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    // Emptied at once, so that choosing the same file again (after fixing it) sends it again.
    event.currentTarget.value = "";
    if (file) onFile(type, file);
  };

  return (
    <Box
      component={titled ? "section" : "div"}
      aria-labelledby={titled ? `${id}-title` : undefined}
      className="document-block"
    >
      <Stack gap="sm">
        {titled ? (
          <>
            <Title order={3} id={`${id}-title`}>
              {title}
            </Title>
            <Text>{t(`applications.documentTypes.${type}.hint`)}</Text>
          </>
        ) : null}
        <DocumentsTable
          applicationId={application.id}
          documents={documents}
          caption={t("applications.documents.sent", { type: title })}
          withDownload={application.permissions.downloadDocument !== false}
          onDelete={application.permissions.deleteDocument ? onDelete : undefined}
          deletingId={deletingId}
        />
        {application.permissions.uploadDocument ? (
          <div className={failed ? "upload-control upload-control--error" : "upload-control"}>
            {/* The native input stays (keyboard, screen readers, drag and drop) but out of sight: its
                browser-made "Choose File" would speak the browser's language, not the page's. */}
            <input
              type="file"
              id={id}
              name={type}
              accept={ACCEPTED_UPLOAD_TYPES}
              className="upload-control__input"
              aria-describedby={failed ? `${id}-hint ${id}-error` : `${id}-hint`}
              aria-invalid={failed ? true : undefined}
              disabled={uploading}
              onChange={choose}
            />
            <label htmlFor={id} className="upload-control__button">
              {documents.length > 0
                ? t("applications.documents.addAnother", { type: title })
                : t("applications.documents.add", { type: title })}
            </label>
            <Text id={`${id}-hint`} fz="sm" mt={6}>
              {t("applications.documents.formats")}
            </Text>
            {failed ? (
              <Text id={`${id}-error`} className="upload-control__error">
                <VisuallyHidden>{t("forms.errorPrefix")}</VisuallyHidden>
                {failed.message}
              </Text>
            ) : null}
            {upload && upload.status !== "failed" ? (
              <Stack gap={4} mt="xs">
                <Progress
                  value={percent}
                  size="lg"
                  aria-label={t("applications.documents.progressLabel", { name: upload.fileName })}
                  color={upload.status === "done" ? "green" : undefined}
                  animated={uploading}
                />
                <Text fz="sm">
                  <bdi>{upload.fileName}</bdi>
                  {" — "}
                  {upload.status === "done"
                    ? t("applications.documents.uploaded")
                    : t("applications.documents.percent", { percent })}
                </Text>
              </Stack>
            ) : null}
          </div>
        ) : null}
      </Stack>
    </Box>
  );
}

/**
 * The state of the uploads of one application: each type's last upload, what to announce, the
 * error summary's items (in the order of `types`) and the key that refocuses it.
 */
export function useDocumentUploads(application: Application, types: readonly AnyDocumentType[]) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const queryClient = useQueryClient();
  const [uploads, setUploads] = useState<Partial<Record<AnyDocumentType, Upload>>>({});
  const [announcement, setAnnouncement] = useState("");
  const [deletingId, setDeletingId] = useState<string | null>(null);
  const [summaryKey, setSummaryKey] = useState(0);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const attempts = useRef(0);
  const detailKey = applicationKeys.localized(application.id, language);

  const setUpload = (type: AnyDocumentType, upload: Upload) =>
    setUploads((current) => ({ ...current, [type]: upload }));

  const showFailure = () => {
    attempts.current += 1;
    setSummaryKey(attempts.current);
  };

  const refresh = () => void queryClient.invalidateQueries({ queryKey: applicationKeys.detail(application.id) });

  const send = async (type: AnyDocumentType, file: File) => {
    const fileName = file.name;
    if (file.size > MAX_UPLOAD_BYTES) {
      setUpload(type, { status: "failed", fileName, message: t("applications.documents.tooBig", { name: fileName }) });
      showFailure();
      return;
    }
    setAnnouncement(t("applications.documents.uploading", { name: fileName }));
    setUpload(type, { status: "uploading", fileName, percent: 0 });
    try {
      const document = await uploadDocument(application.id, type, file, {
        onProgress: (percent) => setUpload(type, { status: "uploading", fileName, percent }),
      });
      queryClient.setQueryData<Application>(detailKey, (current) =>
        current ? { ...current, documents: [...current.documents, document] } : current,
      );
      setUpload(type, { status: "done", fileName });
      setAnnouncement(t("applications.documents.uploadedAnnounce", { name: fileName }));
      refresh();
    } catch (error) {
      const message = uploadErrorMessage(error, t);
      setUpload(type, { status: "failed", fileName, message });
      setAnnouncement("");
      showFailure();
    }
  };

  const remove = async (document: ApplicationDocument) => {
    setDeletingId(document.id);
    setDeleteError(null);
    try {
      await applicationsApi.deleteDocument(application.id, document.id);
      queryClient.setQueryData<Application>(detailKey, (current) =>
        current ? { ...current, documents: current.documents.filter((item) => item.id !== document.id) } : current,
      );
      setAnnouncement(t("applications.documents.deleted", { name: document.originalName }));
      refresh();
      requestAnimationFrame(() => window.document.getElementById(uploadInputId(document.type))?.focus());
    } catch (error) {
      setDeleteError(uploadErrorMessage(error, t));
      showFailure();
    } finally {
      setDeletingId(null);
    }
  };

  const items: SummaryItem[] = [
    ...types.flatMap((type) => {
      const upload = uploads[type];
      return upload?.status === "failed" ? [{ fieldId: uploadInputId(type), message: upload.message }] : [];
    }),
    ...(deleteError ? [{ message: deleteError }] : []),
  ];

  const blockProps = (type: AnyDocumentType) => ({
    application,
    type,
    upload: uploads[type],
    onFile: (chosen: AnyDocumentType, file: File) => void send(chosen, file),
    onDelete: (document: ApplicationDocument) => void remove(document),
    deletingId,
  });

  return { items, announcement, summaryKey, blockProps };
}
