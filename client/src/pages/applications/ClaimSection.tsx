import { Anchor, Button, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { applicationLinks, CLAIM_DOCUMENT_TYPES, type Application } from "../../api/applications";
import { applicationKeys, useClaim } from "../../api/queries";
import { reviewApi, type Claim, type ClaimStatus, type InvoiceInput } from "../../api/review";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, useFormFeedback, type FieldRef } from "../../components/forms/useFormFeedback";
import { Fact } from "../../components/Fact";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { formatDay, formatInstant, formatMoney } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { toCentimes } from "../../money";
import { asRefusal } from "../review/shared";
import { DocumentTypeBlock, uploadInputId, useDocumentUploads } from "./DocumentUploads";

const CLAIM_STATUS_CLASS: Record<ClaimStatus, string> = {
  submitted: "application-status--progress",
  verified: "application-status--progress",
  paid: "user-status--active",
};

export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  const { t } = useTranslation();
  return <span className={`user-status ${CLAIM_STATUS_CLASS[status]}`}>{t(`claims.status.${status}`)}</span>;
}

interface ClaimSummaryProps {
  application: Application;
  claim: Claim;
  /** Officers open the invoice in the page's viewer; the company downloads it. */
  onShowDocument?: (documentId: string) => void;
}

/** The claim as the server holds it: its status, each invoice and its check, the amounts. */
export function ClaimSummary({ application, claim, onShowDocument }: ClaimSummaryProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const documentName = (documentId: string) =>
    application.documents.find((document) => document.id === documentId)?.originalName ?? "";
  return (
    <Stack gap="md">
      <dl className="facts">
        <Fact label={t("claims.statusLabel")}>
          <ClaimStatusBadge status={claim.status} />
        </Fact>
        <Fact label={t("claims.submittedAt")}>{formatInstant(claim.submittedAt, language)}</Fact>
        {claim.verifiedAmount ? (
          <Fact label={t("claims.verifiedAmount")}>
            <bdi>{formatMoney(claim.verifiedAmount, language)}</bdi>
          </Fact>
        ) : null}
        {claim.paymentAmount ? (
          <Fact label={t("claims.paymentAmount")} className="fact fact--highlight">
            <bdi>{formatMoney(claim.paymentAmount, language)}</bdi>
          </Fact>
        ) : null}
        {claim.paymentReference ? (
          <Fact label={t("claims.paymentReference")}>
            <bdi dir="ltr">{claim.paymentReference}</bdi>
          </Fact>
        ) : null}
        {claim.paidAt ? <Fact label={t("claims.paidAt")}>{formatInstant(claim.paidAt, language)}</Fact> : null}
      </dl>
      <div className="table-scroll">
        <Table striped verticalSpacing="sm" className="invoices-table">
          <Table.Caption className="table-caption">
            {t("claims.invoicesCaption", { count: claim.invoices.length })}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("claims.invoiceNumber")}</Table.Th>
              <Table.Th scope="col">{t("claims.supplierName")}</Table.Th>
              <Table.Th scope="col">{t("claims.invoiceDate")}</Table.Th>
              <Table.Th scope="col" className="numeric">
                {t("claims.amountExclTax")}
              </Table.Th>
              <Table.Th scope="col">{t("claims.check")}</Table.Th>
              <Table.Th scope="col">{t("claims.document")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {claim.invoices.map((invoice) => (
              <Table.Tr key={invoice.id}>
                <Table.Th scope="row">
                  <bdi dir="ltr">{invoice.invoiceNumber}</bdi>
                </Table.Th>
                <Table.Td>{invoice.supplierName}</Table.Td>
                <Table.Td className="nowrap">{formatDay(invoice.invoiceDate, language)}</Table.Td>
                <Table.Td className="numeric nowrap">
                  <bdi>{formatMoney(invoice.amountExclTax, language)}</bdi>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2} align="flex-start">
                    <span
                      className={`user-status ${
                        invoice.verdict === "accepted"
                          ? "user-status--active"
                          : invoice.verdict === "rejected"
                            ? "application-status--stopped"
                            : "user-status--unverified"
                      }`}
                    >
                      {t(`claims.verdicts.${invoice.verdict}`)}
                    </span>
                    {invoice.verdict === "accepted" && invoice.verifiedAmount ? (
                      <Text fz="sm">
                        {t("claims.retained")} <bdi>{formatMoney(invoice.verifiedAmount, language)}</bdi>
                      </Text>
                    ) : null}
                    {invoice.verdictReason ? <Text fz="sm">{invoice.verdictReason}</Text> : null}
                  </Stack>
                </Table.Td>
                <Table.Td className="document-name">
                  {onShowDocument ? (
                    <Button
                      variant="subtle"
                      size="compact-md"
                      onClick={() => onShowDocument(invoice.documentId)}
                      classNames={{ root: "wrap-button", label: "wrap-button__label" }}
                    >
                      {t("claims.showInvoice")}
                      <VisuallyHidden>{t("claims.invoiceWhich", { number: invoice.invoiceNumber })}</VisuallyHidden>
                    </Button>
                  ) : (
                    <Anchor
                      href={applicationLinks.document(application.id, invoice.documentId)}
                      download={documentName(invoice.documentId)}
                    >
                      <bdi>{documentName(invoice.documentId)}</bdi>
                      <VisuallyHidden>{t("applications.documents.download")}</VisuallyHidden>
                    </Anchor>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </Stack>
  );
}

interface InvoiceValues {
  invoiceNumber: string;
  supplierName: string;
  invoiceDate: string;
  amountExclTax: string;
}

interface ClaimValues {
  invoices: Record<string, InvoiceValues>;
}

const FORM_ID = "claim";
const INVOICE_FIELDS = ["invoiceNumber", "supplierName", "invoiceDate", "amountExclTax"] as const;
const MONEY_INPUT = /^\d+(?:\.\d{1,2})?$/;
const keyOf = (documentId: string) => `doc-${documentId}`;

/** The company asks for its payment: invoices, payment proofs and the acceptance report, then each invoice's details. */
function ClaimForm({ application, onSubmitted }: { application: Application; onSubmitted: () => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const queryClient = useQueryClient();
  const uploads = useDocumentUploads(application, CLAIM_DOCUMENT_TYPES);
  const unclaimed = application.documents.filter((document) => !document.claimId);
  const invoiceDocuments = unclaimed.filter((document) => document.type === "invoice");
  const form = useForm<ClaimValues>({
    defaultValues: { invoices: {} },
    shouldFocusError: false,
    shouldUnregister: true,
  });
  const fields: Array<FieldRef<ClaimValues>> = invoiceDocuments.flatMap((document, index) =>
    INVOICE_FIELDS.map((name) => ({
      name: `invoices.${keyOf(document.id)}.${name}` as const,
      id: fieldId(FORM_ID, `${index}-${name}`),
    })),
  );
  const { feedback, clear, onInvalid, show, showError } = useFormFeedback(form, fields);
  const fieldError = useFieldError(form);

  const onValid = async (values: ClaimValues) => {
    clear();
    const missing = [
      ...(invoiceDocuments.length === 0
        ? [{ fieldId: uploadInputId("invoice"), message: t("claims.invoiceMissing") }]
        : []),
      ...(unclaimed.some((document) => document.type === "payment_proof")
        ? []
        : [{ fieldId: uploadInputId("payment_proof"), message: t("claims.paymentProofMissing") }]),
      ...(unclaimed.some((document) => document.type === "acceptance_report")
        ? []
        : [{ fieldId: uploadInputId("acceptance_report"), message: t("claims.acceptanceReportMissing") }]),
    ];
    if (missing.length > 0) {
      show({ title: t("forms.summary.title", { count: missing.length }), items: missing });
      return;
    }
    const sent = [...invoiceDocuments];
    const invoices: InvoiceInput[] = sent.map((document) => {
      const invoice = values.invoices[keyOf(document.id)];
      return {
        documentId: document.id,
        invoiceNumber: invoice?.invoiceNumber.trim() ?? "",
        supplierName: invoice?.supplierName.trim() ?? "",
        invoiceDate: invoice?.invoiceDate ?? "",
        amountExclTax: invoice?.amountExclTax.trim() ?? "",
      };
    });
    try {
      await reviewApi.submitClaim(application.id, invoices);
      await queryClient.invalidateQueries({ queryKey: applicationKeys.detail(application.id) });
      onSubmitted();
    } catch (error) {
      // "invoices.0.amountExclTax" is the first invoice sent: its fields are keyed by document.
      showError(
        asRefusal(error, t("review.refused"), (path) => {
          const match = /^invoices\.(\d+)\.(\w+)$/.exec(path);
          const document = match ? sent[Number(match[1])] : undefined;
          if (!match || !document) return path;
          const field = match[2] === "documentId" ? "invoiceNumber" : (match[2] ?? "");
          return `invoices.${keyOf(document.id)}.${field}`;
        }),
      );
    }
  };

  return (
    <Stack gap="lg">
      <Text>{t("claims.intro", { amount: formatMoney(application.review?.approvedAmount ?? "0.00", language) })}</Text>
      {uploads.items.length > 0 ? (
        <ErrorSummary
          title={t("applications.documents.summaryTitle", { count: uploads.items.length })}
          items={uploads.items}
          focusKey={uploads.summaryKey}
          headingOrder={3}
        />
      ) : null}
      {feedback ? (
        <ErrorSummary
          title={feedback.title}
          items={feedback.items}
          description={feedback.description}
          focusKey={feedback.focusKey}
          headingOrder={3}
        />
      ) : null}
      <VisuallyHidden role="status" aria-live="polite">
        {uploads.announcement}
      </VisuallyHidden>
      {CLAIM_DOCUMENT_TYPES.map((type) => (
        <DocumentTypeBlock key={type} {...uploads.blockProps(type)} titled />
      ))}
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="md">
          <Title order={3}>{t("claims.detailsTitle")}</Title>
          {invoiceDocuments.length === 0 ? (
            <Text className="empty-state">{t("claims.detailsEmpty")}</Text>
          ) : (
            <>
              <Text>{t("claims.detailsIntro")}</Text>
              <RequiredNote />
            </>
          )}
          {invoiceDocuments.map((document, index) => {
            const name = (field: (typeof INVOICE_FIELDS)[number]) => `invoices.${keyOf(document.id)}.${field}` as const;
            const id = (field: string) => fieldId(FORM_ID, `${index}-${field}`);
            return (
              <fieldset key={document.id} className="form-fieldset line-fieldset">
                <legend>
                  {t("claims.invoiceLegend", { number: index + 1 })} <bdi>{document.originalName}</bdi>
                </legend>
                <Stack gap="sm">
                  <TextInput
                    id={id("invoiceNumber")}
                    label={t("claims.invoiceNumber")}
                    required
                    dir="ltr"
                    autoComplete="off"
                    classNames={{ input: "input-short" }}
                    error={fieldError(name("invoiceNumber"))}
                    {...form.register(name("invoiceNumber"), {
                      validate: (value) => value.trim() !== "" || t("claims.validation.numberRequired"),
                    })}
                  />
                  <TextInput
                    id={id("supplierName")}
                    label={t("claims.supplierName")}
                    required
                    autoComplete="off"
                    error={fieldError(name("supplierName"))}
                    {...form.register(name("supplierName"), {
                      validate: (value) => value.trim().length >= 2 || t("claims.validation.supplierRequired"),
                    })}
                  />
                  <TextInput
                    id={id("invoiceDate")}
                    type="date"
                    label={t("claims.invoiceDate")}
                    required
                    classNames={{ input: "input-short" }}
                    error={fieldError(name("invoiceDate"))}
                    {...form.register(name("invoiceDate"), {
                      validate: (value) => value !== "" || t("claims.validation.dateRequired"),
                    })}
                  />
                  <TextInput
                    id={id("amountExclTax")}
                    label={t("claims.amountExclTax")}
                    description={t("claims.amountHint")}
                    required
                    inputMode="decimal"
                    dir="ltr"
                    autoComplete="off"
                    classNames={{ input: "input-short" }}
                    error={fieldError(name("amountExclTax"))}
                    {...form.register(name("amountExclTax"), {
                      validate: (value) => {
                        const text = value.trim();
                        if (text === "") return t("claims.validation.amountRequired");
                        if (!MONEY_INPUT.test(text)) return t("review.validation.amountFormat");
                        return toCentimes(text) > 0n || t("claims.validation.amountZero");
                      },
                    })}
                  />
                </Stack>
              </fieldset>
            );
          })}
          <div>
            <SubmitButton submitting={form.formState.isSubmitting}>{t("claims.submit")}</SubmitButton>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}

const CLAIMED_STATUSES = new Set(["claim_submitted", "paid", "closed"]);

/** "Demande de versement" on the application page: the form once approved, the claim afterwards. */
export function ClaimSection({ application, onSubmitted }: { application: Application; onSubmitted: () => void }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const claimed = CLAIMED_STATUSES.has(application.status);
  const claim = useClaim(application.id, claimed);
  if (!application.permissions.submitClaim && !claimed) return null;

  const body = () => {
    if (application.permissions.submitClaim) {
      return (
        <ClaimForm
          application={application}
          onSubmitted={() => {
            onSubmitted();
            // The form gives way to the claim: the focus goes to its heading, not to the page's top.
            requestAnimationFrame(() => headingRef.current?.focus());
          }}
        />
      );
    }
    if (claim.isPending) return <LoadingStatus label={t("claims.loading")} />;
    if (claim.isError) {
      return (
        <QueryErrorAlert
          title={t("claims.errorTitle")}
          error={claim.error}
          onRetry={() => void claim.refetch()}
          retrying={claim.isFetching}
        />
      );
    }
    if (!claim.data) return <Text className="empty-state">{t("claims.none")}</Text>;
    return <ClaimSummary application={application} claim={claim.data} />;
  };

  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="claim-title">
      <Stack gap="md">
        <Title order={2} id="claim-title" ref={headingRef} tabIndex={-1}>
          {t("claims.title")}
        </Title>
        {body()}
      </Stack>
    </Paper>
  );
}
