import { Alert, Button, Group, Modal, Paper, Radio, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { Application } from "../../api/applications";
import { reviewApi } from "../../api/review";
import type { User } from "../../api/types";
import { ConfirmActionBody } from "../../components/ConfirmActionBody";
import { Fact } from "../../components/Fact";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { formatInstant, formatMoney } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { fromCentimes, toCentimes } from "../../money";
import { ActionErrorAlert, asRefusal, ReasonForm } from "./shared";

/** What happened, said once the server agreed: the page announces it and shows the new state. */
export type TransitionDone = (application: Application, message: string) => void;

interface PanelProps {
  application: Application;
  onDone: TransitionDone;
}

const MONEY_INPUT = /^\d+(?:\.\d{1,2})?$/;

function Subsection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="decision-step">
      <Stack gap="sm">
        <Title order={3} id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </section>
  );
}

function StartReview({ application, onDone }: PanelProps) {
  const { t } = useTranslation();
  const start = useMutation({
    mutationFn: () => reviewApi.startReview(application.id),
    onSuccess: (updated) => onDone(updated, t("review.decision.started")),
  });
  return (
    <Subsection id="decision-start" title={t("review.decision.startTitle")}>
      <Text>{t("review.decision.startText")}</Text>
      <ActionErrorAlert error={start.error} />
      <div>
        <Button size="md" loading={start.isPending} onClick={() => start.mutate()}>
          {t("review.decision.start")}
        </Button>
      </div>
    </Subsection>
  );
}

function RequestInformation({ application, onDone }: PanelProps) {
  const { t } = useTranslation();
  return (
    <Subsection id="decision-request-info" title={t("review.decision.requestInfoTitle")}>
      <ReasonForm
        formId="request-info"
        label={t("review.decision.message")}
        hint={t("review.decision.messageHint")}
        serverPath="message"
        minLength={5}
        requiredMessage={t("review.decision.messageRequired")}
        tooShortMessage={t("review.validation.tooShort", { min: 5 })}
        submitLabel={t("review.decision.requestInfo")}
        onSubmit={async (message) => {
          const updated = await reviewApi.requestInfo(application.id, message);
          onDone(updated, t("review.decision.infoRequested"));
        }}
      />
    </Subsection>
  );
}

interface ExamineValues {
  proposal: "approve" | "reject" | "";
  amount: string;
  comment: string;
}

const EXAMINE_ID = "examine";
const EXAMINE_FIELDS = fieldRefs<ExamineValues>(EXAMINE_ID, ["proposal", "amount", "comment"]);

function Examine({ application, onDone }: PanelProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const form = useForm<ExamineValues>({
    defaultValues: { proposal: "", amount: application.grantAmount, comment: "" },
    shouldFocusError: false,
  });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, EXAMINE_FIELDS);
  const fieldError = useFieldError(form);
  const id = (name: string) => fieldId(EXAMINE_ID, name);
  const proposal = useWatch({ control: form.control, name: "proposal" });
  const grant = formatMoney(application.grantAmount, language);

  const onValid = async (values: ExamineValues) => {
    clear();
    try {
      const approve = values.proposal === "approve";
      const updated = await reviewApi.examine(application.id, {
        proposal: approve ? "approve" : "reject",
        amount: approve ? values.amount.trim() : null,
        comment: values.comment.trim(),
      });
      onDone(updated, t(approve ? "review.decision.examinedApprove" : "review.decision.examinedReject"));
    } catch (error) {
      showError(asRefusal(error, t("review.refused")));
    }
  };

  return (
    <Subsection id="decision-examine" title={t("review.decision.examineTitle")}>
      <Text>{t("review.decision.examineText")}</Text>
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
          <Controller
            control={form.control}
            name="proposal"
            rules={{ validate: (value) => value !== "" || t("review.decision.proposalRequired") }}
            render={({ field }) => (
              <Radio.Group
                name={field.name}
                value={field.value}
                onChange={(value) => field.onChange(value)}
                label={t("review.decision.proposal")}
                required
                error={fieldError("proposal")}
              >
                <Stack gap="sm" mt="sm">
                  <Radio
                    id={id("proposal")}
                    ref={field.ref}
                    onBlur={field.onBlur}
                    value="approve"
                    label={t("review.decision.proposeApprove")}
                    classNames={{ label: "choice-label" }}
                  />
                  <Radio
                    id={id("proposal-reject")}
                    onBlur={field.onBlur}
                    value="reject"
                    label={t("review.decision.proposeReject")}
                    classNames={{ label: "choice-label" }}
                  />
                </Stack>
              </Radio.Group>
            )}
          />
          {proposal === "approve" ? (
            <TextInput
              id={id("amount")}
              label={t("review.decision.proposedAmount")}
              description={t("review.decision.proposedAmountHint", { grant })}
              inputMode="decimal"
              autoComplete="off"
              dir="ltr"
              required
              classNames={{ input: "input-short" }}
              error={fieldError("amount")}
              {...form.register("amount", {
                validate: (value) => {
                  const text = value.trim();
                  if (text === "") return t("review.validation.amountRequired");
                  if (!MONEY_INPUT.test(text)) return t("review.validation.amountFormat");
                  return (
                    toCentimes(text) <= toCentimes(application.grantAmount) ||
                    t("review.validation.amountAboveGrant", { grant })
                  );
                },
              })}
            />
          ) : null}
          <Textarea
            id={id("comment")}
            label={t("review.decision.comment")}
            description={t("review.decision.commentHint")}
            required
            autosize
            minRows={3}
            size="md"
            error={fieldError("comment")}
            {...form.register("comment", {
              validate: (value) => {
                const text = value.trim();
                if (text === "") return t("review.decision.commentRequired");
                return text.length >= 3 || t("review.validation.tooShort", { min: 3 });
              },
            })}
          />
          <div>
            <SubmitButton submitting={form.formState.isSubmitting}>{t("review.decision.examine")}</SubmitButton>
          </div>
        </Stack>
      </form>
    </Subsection>
  );
}

/** The examiner's proposal, as the second officer (and the examiner) read it. */
function ProposalSummary({ application }: { application: Application }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const review = application.review;
  if (!review?.proposal) return null;
  return (
    <div className="proposal">
      <dl className="facts">
        <Fact label={t("review.decision.proposal")}>
          {review.proposal === "approve" ? t("review.decision.proposeApprove") : t("review.decision.proposeReject")}
        </Fact>
        {review.proposal === "approve" && review.proposedAmount ? (
          <Fact label={t("review.decision.proposedAmountFact")}>
            <bdi>{formatMoney(review.proposedAmount, language)}</bdi>
          </Fact>
        ) : null}
        {review.examinedAt ? (
          <Fact label={t("review.decision.examinedAt")}>{formatInstant(review.examinedAt, language)}</Fact>
        ) : null}
      </dl>
      {review.proposalComment ? (
        <blockquote className="timeline__comment" aria-label={t("review.decision.examinerComment")}>
          {review.proposalComment}
        </blockquote>
      ) : null}
    </div>
  );
}

interface ApproveValues {
  amount: string;
  comment: string;
}

const APPROVE_ID = "approve";
const APPROVE_FIELDS = fieldRefs<ApproveValues>(APPROVE_ID, ["amount", "comment"]);

function Approve({ application, onDone }: PanelProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const proposed = application.review?.proposedAmount ?? application.grantAmount;
  const form = useForm<ApproveValues>({ defaultValues: { amount: "", comment: "" }, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, APPROVE_FIELDS);
  const fieldError = useFieldError(form);
  const id = (name: string) => fieldId(APPROVE_ID, name);
  const grant = formatMoney(application.grantAmount, language);

  const onValid = async (values: ApproveValues) => {
    clear();
    try {
      const amount = values.amount.trim();
      const updated = await reviewApi.approve(application.id, {
        amount: amount === "" ? null : amount,
        comment: values.comment.trim() === "" ? null : values.comment.trim(),
      });
      onDone(
        updated,
        t("review.decision.approved", {
          amount: formatMoney(updated.review?.approvedAmount ?? amount, language),
        }),
      );
    } catch (error) {
      showError(asRefusal(error, t("review.refused")));
    }
  };

  return (
    <Subsection id="decision-approve" title={t("review.decision.approveTitle")}>
      <Text>{t("review.decision.approveText")}</Text>
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
            id={id("amount")}
            label={`${t("review.decision.approvedAmount")} ${t("forms.optional")}`}
            description={t("review.decision.approvedAmountHint", {
              proposed: formatMoney(proposed, language),
              grant,
            })}
            inputMode="decimal"
            autoComplete="off"
            dir="ltr"
            placeholder={proposed}
            classNames={{ input: "input-short" }}
            error={fieldError("amount")}
            {...form.register("amount", {
              validate: (value) => {
                const text = value.trim();
                if (text === "") return true;
                if (!MONEY_INPUT.test(text)) return t("review.validation.amountFormat");
                return (
                  toCentimes(text) <= toCentimes(application.grantAmount) ||
                  t("review.validation.amountAboveGrant", { grant })
                );
              },
            })}
          />
          <Textarea
            id={id("comment")}
            label={`${t("review.decision.comment")} ${t("forms.optional")}`}
            description={t("review.decision.approveCommentHint")}
            autosize
            minRows={2}
            size="md"
            error={fieldError("comment")}
            {...form.register("comment")}
          />
          <div>
            <SubmitButton submitting={form.formState.isSubmitting}>{t("review.decision.approve")}</SubmitButton>
          </div>
        </Stack>
      </form>
    </Subsection>
  );
}

function Reject({ application, onDone }: PanelProps) {
  const { t } = useTranslation();
  return (
    <Subsection id="decision-reject" title={t("review.decision.rejectTitle")}>
      <ReasonForm
        formId="reject"
        label={t("review.decision.reason")}
        hint={t("review.decision.reasonHint")}
        serverPath="reason"
        minLength={5}
        requiredMessage={t("review.decision.reasonRequired")}
        tooShortMessage={t("review.validation.tooShort", { min: 5 })}
        submitLabel={t("review.decision.reject")}
        danger
        onSubmit={async (reason) => {
          const updated = await reviewApi.reject(application.id, reason);
          onDone(updated, t("review.decision.rejected"));
        }}
      />
    </Subsection>
  );
}

function CloseFile({ application, onDone }: PanelProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const [opened, setOpened] = useState(false);
  const [instance, setInstance] = useState(0);
  const approved = application.review?.approvedAmount ?? "0.00";
  const paid = application.review?.paidAmount ?? "0.00";
  const rest = toCentimes(approved) - toCentimes(paid);
  const close = useMutation({
    mutationFn: () => reviewApi.close(application.id),
    onSuccess: (updated) => {
      setOpened(false);
      onDone(updated, t("review.decision.closed"));
    },
  });
  return (
    <Subsection id="decision-close" title={t("review.decision.closeTitle")}>
      <Text>
        {t("review.decision.closeText", { rest: formatMoney(fromCentimes(rest < 0n ? 0n : rest), language) })}
      </Text>
      <div>
        <Button
          size="md"
          onClick={() => {
            close.reset();
            setInstance((count) => count + 1);
            setOpened(true);
          }}
        >
          {t("review.decision.close")}
        </Button>
      </div>
      <Modal
        centered
        lockScroll={false}
        size="lg"
        opened={opened}
        onClose={() => setOpened(false)}
        title={t("review.decision.closeConfirmTitle")}
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        <ConfirmActionBody
          key={instance}
          text={t("review.decision.closeText", {
            rest: formatMoney(fromCentimes(rest < 0n ? 0n : rest), language),
          })}
          confirmLabel={t("review.decision.closeConfirm")}
          onConfirm={() => close.mutate()}
          onClose={() => setOpened(false)}
          pending={close.isPending}
          error={close.error}
        />
      </Modal>
    </Subsection>
  );
}

function CancelGrant({ application, onDone }: PanelProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const [opened, setOpened] = useState(false);
  const [instance, setInstance] = useState(0);
  const amount = formatMoney(application.review?.approvedAmount ?? "0.00", language);
  return (
    <Subsection id="decision-cancel" title={t("review.decision.cancelTitle")}>
      <Text>{t("review.decision.cancelText", { amount })}</Text>
      <div>
        <Button
          size="md"
          color="red"
          variant="outline"
          onClick={() => {
            setInstance((count) => count + 1);
            setOpened(true);
          }}
        >
          {t("review.decision.cancel")}
        </Button>
      </div>
      <Modal
        centered
        lockScroll={false}
        size="lg"
        opened={opened}
        onClose={() => setOpened(false)}
        title={t("review.decision.cancelConfirmTitle")}
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        <ReasonForm
          key={instance}
          formId="cancel"
          intro={<Text>{t("review.decision.cancelConfirmText", { amount })}</Text>}
          label={t("review.decision.reason")}
          hint={t("review.decision.reasonHint")}
          serverPath="reason"
          minLength={5}
          requiredMessage={t("review.decision.reasonRequired")}
          tooShortMessage={t("review.validation.tooShort", { min: 5 })}
          submitLabel={t("review.decision.cancelConfirm")}
          danger
          onCancel={() => setOpened(false)}
          onSubmit={async (reason) => {
            const updated = await reviewApi.cancel(application.id, reason);
            setOpened(false);
            onDone(updated, t("review.decision.cancelled"));
          }}
        />
      </Modal>
    </Subsection>
  );
}

/** The officer examined the file: approve and reject are refused to it (four-eyes), say why. */
export function isOwnExamination(application: Application, user: User): boolean {
  const { permissions } = application;
  return (
    user.role === "officer" &&
    application.status === "examined" &&
    permissions.verifyDocument === true &&
    permissions.approve !== true &&
    permissions.reject !== true
  );
}

interface DecisionPanelProps extends PanelProps {
  user: User;
  conflicted: boolean;
}

/** Everything the officer may do now, and only that: the server's permissions decide. */
export function DecisionPanel({ application, user, conflicted, onDone }: DecisionPanelProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { permissions, review } = application;
  const ownExamination = isOwnExamination(application, user);
  const anyAction =
    permissions.startReview ||
    permissions.requestInfo ||
    permissions.examine ||
    permissions.approve ||
    permissions.reject ||
    permissions.close ||
    permissions.cancel;

  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="decision-title" className="decision-panel">
      <Stack gap="lg">
        <Title order={2} id="decision-title">
          {t("review.decision.title")}
        </Title>
        {conflicted ? (
          <Alert color="yellow" variant="light">
            <Text fw={700}>{t("review.conflict.declaredTitle")}</Text>
            <Text>{t("review.conflict.declaredText")}</Text>
          </Alert>
        ) : null}
        {ownExamination ? (
          <Alert color="blue" variant="light">
            <Text fw={700}>{t("review.decision.fourEyesTitle")}</Text>
            <Text>{t("review.decision.fourEyes")}</Text>
          </Alert>
        ) : null}
        <ProposalSummary application={application} />
        {review?.approvedAmount ? (
          <dl className="facts">
            <Fact label={t("review.decision.approvedAmountFact")} className="fact fact--highlight">
              <bdi>{formatMoney(review.approvedAmount, language)}</bdi>
            </Fact>
            {review.decidedAt ? (
              <Fact label={t("review.decision.decidedAt")}>{formatInstant(review.decidedAt, language)}</Fact>
            ) : null}
            {review.paidAmount ? (
              <Fact label={t("review.decision.paidAmountFact")}>
                <bdi>{formatMoney(review.paidAmount, language)}</bdi>
              </Fact>
            ) : null}
          </dl>
        ) : null}
        {!anyAction && !conflicted && !ownExamination ? <Text>{t(`review.next.${application.status}`)}</Text> : null}
        {permissions.startReview ? <StartReview application={application} onDone={onDone} /> : null}
        {permissions.examine ? <Examine application={application} onDone={onDone} /> : null}
        {permissions.requestInfo ? <RequestInformation application={application} onDone={onDone} /> : null}
        {permissions.approve || permissions.reject ? (
          <Group align="flex-start" gap="xl" grow wrap="wrap" className="decision-pair">
            {permissions.approve ? <Approve application={application} onDone={onDone} /> : null}
            {permissions.reject ? <Reject application={application} onDone={onDone} /> : null}
          </Group>
        ) : null}
        {permissions.close ? <CloseFile application={application} onDone={onDone} /> : null}
        {permissions.cancel ? <CancelGrant application={application} onDone={onDone} /> : null}
      </Stack>
    </Paper>
  );
}
