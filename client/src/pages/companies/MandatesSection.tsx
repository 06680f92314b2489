import { Button, Group, Modal, Paper, Stack, Text, TextInput, Title, VisuallyHidden } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { companiesApi } from "../../api/companies";
import { ApiError } from "../../api/client";
import { sessionKeys } from "../../api/session";
import type { Company, Mandate } from "../../api/types";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { ConfirmActionBody } from "../../components/ConfirmActionBody";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { StatusMessage } from "../../components/StatusMessage";
import { formatDay, formatInstantDay } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { emailRules } from "../auth/validation";

const STATUS_CLASS: Record<Mandate["status"], string> = {
  active: "user-status--active",
  expired: "user-status--unverified",
  revoked: "user-status--disabled",
};

function MandateStatusBadge({ status }: { status: Mandate["status"] }) {
  const { t } = useTranslation();
  return <span className={`user-status ${STATUS_CLASS[status]}`}>{t(`companies.mandates.status.${status}`)}</span>;
}

function MandateItem({ mandate, onRevoke }: { mandate: Mandate; onRevoke: (mandate: Mandate) => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { prescriber } = mandate;
  return (
    <li className="mandate-item">
      <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
        <Stack gap={4}>
          <Group gap="sm" wrap="wrap">
            <Text fw={700}>{prescriber.fullName}</Text>
            <MandateStatusBadge status={mandate.status} />
          </Group>
          {prescriber.organisation ? <Text>{prescriber.organisation}</Text> : null}
          <Text fz="sm">
            <bdi dir="ltr" className="email-address">
              {prescriber.email}
            </bdi>
          </Text>
          <Text fz="sm" c="dimmed">
            {t(mandate.source === "owner-grant" ? "companies.mandates.grantedOn" : "companies.mandates.registeredOn", {
              date: formatInstantDay(mandate.createdAt, language),
            })}
            {" · "}
            {mandate.revokedAt
              ? t("companies.mandates.revokedOn", { date: formatInstantDay(mandate.revokedAt, language) })
              : mandate.expiresOn
                ? t(mandate.status === "expired" ? "companies.mandates.expiredOn" : "companies.mandates.until", {
                    date: formatDay(mandate.expiresOn, language),
                  })
                : t("companies.mandates.noEnd")}
          </Text>
        </Stack>
        {mandate.permissions.revoke && mandate.status === "active" ? (
          <Button variant="outline" color="red" onClick={() => onRevoke(mandate)}>
            {t("companies.mandates.revoke")}
            <VisuallyHidden>{t("companies.mandates.revokeOf", { name: prescriber.fullName })}</VisuallyHidden>
          </Button>
        ) : null}
      </Group>
    </li>
  );
}

function RevokeBody({ mandate, onClose, onDone }: { mandate: Mandate; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => companiesApi.revokeMandate(mandate.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: sessionKeys.mandates(mandate.companyId) });
      onDone();
    },
  });
  return (
    <ConfirmActionBody
      text={t("companies.mandates.revokeModal.text", { name: mandate.prescriber.fullName })}
      confirmLabel={t("companies.mandates.revokeModal.confirm")}
      onConfirm={() => revoke.mutate()}
      onClose={onClose}
      pending={revoke.isPending}
      error={revoke.error}
    />
  );
}

interface GrantValues {
  prescriberEmail: string;
  expiresOn: string;
}

const GRANT_FORM_ID = "mandate";
const GRANT_FIELDS = fieldRefs<GrantValues>(GRANT_FORM_ID, ["prescriberEmail", "expiresOn"]);

function GrantMandateForm({ company, onGranted }: { company: Company; onGranted: (mandate: Mandate) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<GrantValues>({ defaultValues: { prescriberEmail: "", expiresOn: "" }, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError, showFieldError } = useFormFeedback(form, GRANT_FIELDS);
  const fieldError = useFieldError(form);
  const id = (name: string) => fieldId(GRANT_FORM_ID, name);

  const onValid = async (values: GrantValues) => {
    clear();
    try {
      const mandate = await companiesApi.grantMandate(company.id, {
        prescriberEmail: values.prescriberEmail.trim(),
        expiresOn: values.expiresOn === "" ? null : values.expiresOn,
      });
      await queryClient.invalidateQueries({ queryKey: sessionKeys.mandates(company.id) });
      form.reset({ prescriberEmail: "", expiresOn: "" });
      onGranted(mandate);
    } catch (error) {
      // "Already granted" concerns the address typed.
      if (error instanceof ApiError && error.status === 409) {
        showFieldError("prescriberEmail", error.detail ?? error.title);
        return;
      }
      showError(error);
    }
  };

  return (
    <Stack gap="md">
      <Text>{t("companies.mandates.grant.intro")}</Text>
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
            id={id("prescriberEmail")}
            label={t("companies.mandates.grant.email")}
            description={t("companies.mandates.grant.emailHint")}
            type="email"
            inputMode="email"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            dir="ltr"
            required
            error={fieldError("prescriberEmail")}
            {...form.register("prescriberEmail", emailRules(t))}
          />
          <TextInput
            id={id("expiresOn")}
            type="date"
            label={`${t("companies.mandates.grant.expiresOn")} ${t("forms.optional")}`}
            description={t("companies.mandates.grant.expiresOnHint")}
            classNames={{ input: "input-short" }}
            error={fieldError("expiresOn")}
            {...form.register("expiresOn")}
          />
          <div>
            <SubmitButton submitting={form.formState.isSubmitting}>{t("companies.mandates.grant.submit")}</SubmitButton>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}

/** Who may act for the company: the list, the grant form (owner) and the revoke buttons. */
export function MandatesSection({ company }: { company: Company }) {
  const { t } = useTranslation();
  const mandates = useQuery({
    queryKey: sessionKeys.mandates(company.id),
    queryFn: ({ signal }) => companiesApi.mandates(company.id, signal),
  });
  const [revoking, setRevoking] = useState<Mandate | null>(null);
  const [opened, setOpened] = useState(false);
  const [instance, setInstance] = useState(0);
  const [announcement, setAnnouncement] = useState<string | null>(null);

  const list = () => {
    if (mandates.isPending) {
      return <LoadingStatus label={t("companies.mandates.loading")} />;
    }
    if (mandates.isError) {
      return (
        <QueryErrorAlert
          title={t("companies.mandates.errorTitle")}
          error={mandates.error}
          onRetry={() => void mandates.refetch()}
          retrying={mandates.isFetching}
        />
      );
    }
    if (mandates.data.items.length === 0) {
      return <Text className="empty-state">{t("companies.mandates.empty")}</Text>;
    }
    return (
      <ul className="plain-list mandate-list">
        {mandates.data.items.map((mandate) => (
          <MandateItem
            key={mandate.id}
            mandate={mandate}
            onRevoke={(chosen) => {
              setAnnouncement(null);
              setRevoking(chosen);
              setInstance((count) => count + 1);
              setOpened(true);
            }}
          />
        ))}
      </ul>
    );
  };

  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="mandates-title">
      <Stack gap="md">
        <Title order={2} id="mandates-title">
          {t("companies.mandates.title")}
        </Title>
        <Text>{t("companies.mandates.explain")}</Text>
        <StatusMessage>{announcement}</StatusMessage>
        {list()}
        {company.permissions.grantMandate ? (
          <Stack gap="md" mt="md">
            <Title order={3}>{t("companies.mandates.grant.title")}</Title>
            <GrantMandateForm
              company={company}
              onGranted={(mandate) =>
                setAnnouncement(t("companies.mandates.grant.done", { name: mandate.prescriber.fullName }))
              }
            />
          </Stack>
        ) : null}
      </Stack>
      {revoking ? (
        <Modal
          centered
          lockScroll={false}
          size="lg"
          opened={opened}
          onClose={() => setOpened(false)}
          title={t("companies.mandates.revokeModal.title", { name: revoking.prescriber.fullName })}
          closeButtonProps={{ "aria-label": t("common.close") }}
        >
          <RevokeBody
            key={instance}
            mandate={revoking}
            onClose={() => setOpened(false)}
            onDone={() => {
              setOpened(false);
              setAnnouncement(t("companies.mandates.revokeModal.done", { name: revoking.prescriber.fullName }));
            }}
          />
        </Modal>
      ) : null}
    </Paper>
  );
}
