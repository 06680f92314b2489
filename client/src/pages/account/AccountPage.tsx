import { Paper, Stack, Text, Title } from "@mantine/core";
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { User } from "../../api/types";
import { RequireAuth } from "../../components/RequireAuth";
import { formatInstantDay } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { AccountDetailsForm } from "./AccountDetailsForm";
import { ChangePasswordForm } from "./ChangePasswordForm";
import { LanguageForm } from "./LanguageForm";

function AccountSection({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby={headingId}>
      <Stack gap="md">
        <Title order={2} id={headingId}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="fact__label">{label}</dt>
      <dd className="fact__value">{children}</dd>
    </div>
  );
}

function AccountFacts({ user }: { user: User }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <dl className="facts">
      <Fact label={t("fields.email.label")}>
        <bdi dir="ltr">{user.email}</bdi>
      </Fact>
      <Fact label={t("account.facts.role")}>{t(`roles.${user.role}`)}</Fact>
      {user.prescriber ? (
        <>
          <Fact label={t("account.facts.profession")}>{t(`register.prescriber.kind.${user.prescriber.kind}`)}</Fact>
          <Fact label={t("register.prescriber.organisation.label")}>{user.prescriber.organisation}</Fact>
          <Fact label={t("register.prescriber.registrationNumber.label")}>
            <bdi>{user.prescriber.registrationNumber}</bdi>
          </Fact>
        </>
      ) : null}
      <Fact label={t("account.facts.since")}>{formatInstantDay(user.createdAt, language)}</Fact>
    </dl>
  );
}

function Account({ user }: { user: User }) {
  const { t } = useTranslation();
  return (
    <>
      <title>{t("account.documentTitle")}</title>
      <Stack gap="xl" maw={760}>
        <Stack gap="xs">
          <Title order={1}>{t("account.title")}</Title>
          <Text fz="lg">{t("account.greeting", { name: user.fullName })}</Text>
        </Stack>
        <AccountFacts user={user} />
        <AccountSection title={t("account.details.title")}>
          <AccountDetailsForm user={user} />
        </AccountSection>
        <AccountSection title={t("account.language.title")}>
          <LanguageForm user={user} />
        </AccountSection>
        <AccountSection title={t("account.password.title")}>
          <ChangePasswordForm user={user} />
        </AccountSection>
      </Stack>
    </>
  );
}

export function AccountPage() {
  return <RequireAuth>{(user) => <Account user={user} />}</RequireAuth>;
}
