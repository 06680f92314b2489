import { Paper, Radio, Stack, Text, Textarea, TextInput, Title, VisuallyHidden } from "@mantine/core";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { Application } from "../../api/applications";
import { useClaim } from "../../api/queries";
import { reviewApi, type Claim } from "../../api/review";
import { Fact } from "../../components/Fact";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, useFormFeedback, type FieldRef } from "../../components/forms/useFormFeedback";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { formatDay, formatMoney } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { subsidyFor, toCentimes } from "../../money";
import { ClaimSummary } from "../applications/ClaimSection";
import { isClaimDocument } from "./DocumentReview";
import { asRefusal } from "./shared";

type Done = (claim: Claim, message: string) => void;

interface VerdictValues {
  verdict: "accepted" | "rejected" | "";
  verifiedAmount: string;
  reason: string;
}

interface VerifyValues {
  invoices: VerdictValues[];
}

const VERIFY_ID = "verify";
const MONEY_INPUT = /^\d+(?:\.\d{1,2})?$/;

/** Each invoice accepted (for all or part of its amount excl. VAT) or rejected with a reason. */
function VerifyClaimForm({ claim, onDone }: { claim: Claim; onDone: Done }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const form = useForm<VerifyValues>({
    defaultValues: {
      invoices: claim.invoices.map((invoice) => ({ verdict: "", verifiedAmount: invoice.amountExclTax, reason: "" })),
    },
    shouldFocusError: false,
  });
  const fields: Array<FieldRef<VerifyValues>> = claim.invoices.flatMap((_invoice, index) =>
    (["verdict", "verifiedAmount", "reason"] as const).map((name) => ({
      name: `invoices.${index}.${name}` as const,
      id: fieldId(VERIFY_ID, `${index}-${name}`),
    })),
  );
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, fields);
  const fieldError = useFieldError(form);
  const verdicts = useWatch({ control: form.control, name: "invoices" });

  const onValid = async (values: VerifyValues) => {
    clear();
    try {
      const verified = await reviewApi.verifyClaim(
        claim.id,
        claim.invoices.map((invoice, index) => {
          const value = values.invoices[index];
          const accepted = value?.verdict === "accepted";
          return {
            id: invoice.id,
            verdict: accepted ? "accepted" : "rejected",
            verifiedAmount: accepted ? (value?.verifiedAmount.trim() ?? null) : null,
            reason: accepted ? null : (value?.reason.trim() ?? null),
          };
        }),
      );
      onDone(verified, t("claims.verify.done", { amount: formatMoney(verified.verifiedAmount ?? "0.00", language) }));
    } catch (error) {
      // "invoices.<id>" (no verdict for this invoice) belongs to that invoice's choice.
      showError(
        asRefusal(error, t("review.refused"), (path) => {
          const byId = /^invoices\.([0-9a-f-]{36})$/i.exec(path);
          const index = byId ? claim.invoices.findIndex((invoice) => invoice.id === byId[1]) : -1;
          return index >= 0 ? `invoices.${index}.verdict` : path;
        }),
      );
    }
  };

  return (
    <section aria-labelledby="claim-verify-title">
      <Stack gap="md">
        <Title order={3} id="claim-verify-title">
          {t("claims.verify.title")}
        </Title>
        <Text>{t("claims.verify.intro")}</Text>
        {feedback ? (
          <ErrorSummary
            title={feedback.title}
            items={feedback.items}
            description={feedback.description}
            focusKey={feedback.focusKey}
            headingOrder={3}
          />
        ) : null}
        <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
          <Stack gap="md">
            <RequiredNote />
            {claim.invoices.map((invoice, index) => {
              const id = (name: string) => fieldId(VERIFY_ID, `${index}-${name}`);
              const verdict = verdicts[index]?.verdict ?? "";
              const amount = formatMoney(invoice.amountExclTax, language);
              return (
                <fieldset key={invoice.id} className="form-fieldset line-fieldset">
                  <legend>{t("claims.verify.legend", { number: invoice.invoiceNumber })}</legend>
                  <Stack gap="sm">
                    <Text fz="sm">
                      {t("claims.verify.facts", {
                        supplier: invoice.supplierName,
                        date: formatDay(invoice.invoiceDate, language),
                        amount,
                      })}
                    </Text>
                    <Controller
                      control={form.control}
                      name={`invoices.${index}.verdict`}
                      rules={{ validate: (value) => value !== "" || t("claims.verify.verdictRequired") }}
                      render={({ field }) => (
                        <Radio.Group
                          name={field.name}
                          value={field.value}
                          onChange={(value) => field.onChange(value)}
                          label={
                            <>
                              {t("claims.verify.verdict")}
                              <VisuallyHidden>
                                {t("claims.invoiceWhich", { number: invoice.invoiceNumber })}
                              </VisuallyHidden>
                            </>
                          }
                          required
                          error={fieldError(`invoices.${index}.verdict`)}
                        >
                          <Stack gap="xs" mt="xs">
                            <Radio
                              id={id("verdict")}
                              ref={field.ref}
                              onBlur={field.onBlur}
                              value="accepted"
                              label={t("claims.verify.accept")}
                            />
                            <Radio
                              id={id("verdict-rejected")}
                              onBlur={field.onBlur}
                              value="rejected"
                              label={t("claims.verify.reject")}
                            />
                          </Stack>
                        </Radio.Group>
                      )}
                    />
                    {verdict === "accepted" ? (
                      <TextInput
                        id={id("verifiedAmount")}
                        label={t("claims.verify.verifiedAmount")}
                        description={t("claims.verify.verifiedAmountHint", { amount })}
                        inputMode="decimal"
                        dir="ltr"
                        autoComplete="off"
                        required
                        classNames={{ input: "input-short" }}
                        error={fieldError(`invoices.${index}.verifiedAmount`)}
                        {...form.register(`invoices.${index}.verifiedAmount`, {
                          validate: (value) => {
                            const text = value.trim();
                            if (text === "") return t("review.validation.amountRequired");
                            if (!MONEY_INPUT.test(text)) return t("review.validation.amountFormat");
                            return (
                              toCentimes(text) <= toCentimes(invoice.amountExclTax) ||
                              t("claims.verify.aboveInvoice", { amount })
                            );
                          },
                        })}
                      />
                    ) : null}
                    {verdict === "rejected" ? (
                      <Textarea
                        id={id("reason")}
                        label={t("claims.verify.reason")}
                        description={t("review.decision.reasonHint")}
                        required
                        autosize
                        minRows={2}
                        size="md"
                        error={fieldError(`invoices.${index}.reason`)}
                        {...form.register(`invoices.${index}.reason`, {
                          validate: (value) => value.trim() !== "" || t("review.decision.reasonRequired"),
                        })}
                      />
                    ) : null}
                  </Stack>
                </fieldset>
              );
            })}
            <div>
              <SubmitButton submitting={form.formState.isSubmitting}>{t("claims.verify.submit")}</SubmitButton>
            </div>
          </Stack>
        </form>
      </Stack>
    </section>
  );
}

interface PayValues {
  paymentReference: string;
}

const PAY_ID = "pay";
const PAY_FIELDS: Array<FieldRef<PayValues>> = [{ name: "paymentReference", id: fieldId(PAY_ID, "paymentReference") }];

function PayForm({ application, claim, onDone }: { application: Application; claim: Claim; onDone: Done }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const form = useForm<PayValues>({ defaultValues: { paymentReference: "" }, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, PAY_FIELDS);
  const fieldError = useFieldError(form);
  const approved = application.review?.approvedAmount ?? "0.00";
  // The server's rule, for the officer to check before paying: min(committed, rate × verified).
  const expected = subsidyFor(claim.verifiedAmount ?? "0.00", application.rate, approved);

  const onValid = async (values: PayValues) => {
    clear();
    try {
      const paid = await reviewApi.payClaim(claim.id, values.paymentReference.trim());
      onDone(
        paid,
        t("claims.pay.done", {
          amount: formatMoney(paid.paymentAmount ?? "0.00", language),
          reference: paid.paymentReference ?? "",
        }),
      );
    } catch (error) {
      showError(asRefusal(error, t("review.refused")));
    }
  };

  return (
    <section aria-labelledby="claim-pay-title">
      <Stack gap="md">
        <Title order={3} id="claim-pay-title">
          {t("claims.pay.title")}
        </Title>
        <dl className="facts">
          <Fact label={t("claims.verifiedAmount")}>
            <bdi>{formatMoney(claim.verifiedAmount ?? "0.00", language)}</bdi>
          </Fact>
          <Fact label={t("review.decision.approvedAmountFact")}>
            <bdi>{formatMoney(approved, language)}</bdi>
          </Fact>
          <Fact label={t("claims.pay.expected")} className="fact fact--highlight">
            <bdi>{formatMoney(expected, language)}</bdi>
          </Fact>
        </dl>
        <Text fz="sm">{t("claims.pay.rule")}</Text>
        {feedback ? (
          <ErrorSummary
            title={feedback.title}
            items={feedback.items}
            description={feedback.description}
            focusKey={feedback.focusKey}
            headingOrder={3}
          />
        ) : null}
        <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
          <Stack gap="md">
            <TextInput
              id={fieldId(PAY_ID, "paymentReference")}
              label={t("claims.pay.reference")}
              description={t("claims.pay.referenceHint")}
              required
              dir="ltr"
              autoComplete="off"
              maxLength={60}
              classNames={{ input: "input-short" }}
              error={fieldError("paymentReference")}
              {...form.register("paymentReference", {
                validate: (value) => value.trim().length >= 3 || t("claims.pay.referenceRequired"),
              })}
            />
            <div>
              <SubmitButton submitting={form.formState.isSubmitting}>{t("claims.pay.submit")}</SubmitButton>
            </div>
          </Stack>
        </form>
      </Stack>
    </section>
  );
}

interface ClaimReviewProps {
  application: Application;
  onShowDocument: (documentId: string) => void;
  onDone: Done;
}

/** The officer's claim screen: what was sent, the check of each invoice, then the payment. */
export function ClaimReview({ application, onShowDocument, onDone }: ClaimReviewProps) {
  const { t } = useTranslation();
  const claimed = ["claim_submitted", "paid", "closed"].includes(application.status);
  const claim = useClaim(application.id, claimed);
  if (!claimed) return null;
  const others = application.documents.filter((document) => isClaimDocument(document) && document.type !== "invoice");

  const body = () => {
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
    return (
      <Stack gap="lg">
        <ClaimSummary application={application} claim={claim.data} onShowDocument={onShowDocument} />
        {others.length > 0 ? (
          <Stack gap="xs">
            <Text fw={700}>{t("claims.otherDocuments")}</Text>
            <ul className="plain-list claim-documents">
              {others.map((document) => (
                <li key={document.id}>
                  {t(`applications.documentTypes.${document.type}.title`)}
                  {" — "}
                  <button type="button" className="link-button" onClick={() => onShowDocument(document.id)}>
                    <bdi>{document.originalName}</bdi>
                    <VisuallyHidden>{t("review.documents.show")}</VisuallyHidden>
                  </button>
                </li>
              ))}
            </ul>
          </Stack>
        ) : null}
        {application.permissions.verifyClaim && claim.data.status === "submitted" ? (
          <VerifyClaimForm claim={claim.data} onDone={onDone} />
        ) : null}
        {application.permissions.payClaim && claim.data.status === "verified" ? (
          <PayForm application={application} claim={claim.data} onDone={onDone} />
        ) : null}
      </Stack>
    );
  };

  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="claim-review-title">
      <Stack gap="md">
        <Title order={2} id="claim-review-title">
          {t("claims.reviewTitle")}
        </Title>
        {body()}
      </Stack>
    </Paper>
  );
}
