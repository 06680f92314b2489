import { Anchor, Stack, Text } from "@mantine/core";
import type { FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { Fact } from "../../../components/Fact";
import type { Application } from "../../../api/applications";
import { formatDay } from "../../../format";
import { pickLocalized } from "../../../i18n/languages";
import { useLanguage } from "../../../i18n/useLanguage";
import { useSectorName } from "../../companies/CompaniesPage";
import { newApplicationPath, stepPath } from "./steps";
import { WizardActions } from "./WizardFrame";

/** Step 1 once the draft exists: the company and the call are fixed; a new file changes them. */
export function CompanyStep({ application }: { application: Application }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const navigate = useNavigate();
  const sectorName = useSectorName();
  const { company, call } = application;

  const next = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void navigate(stepPath(application.id, "solution"));
  };

  return (
    <form onSubmit={next}>
      <Stack gap="lg">
        <dl className="facts facts--stacked">
          <Fact label={t("applications.start.company")}>
            {company.name}
            <Text component="span" fw={400}>
              {" — "}
              {t("applications.start.companyFacts", {
                ice: company.ice,
                city: company.city ?? "",
                sector: sectorName(company.sectorCode),
              })}
            </Text>
          </Fact>
          <Fact label={t("applications.start.call")}>
            {pickLocalized(language, call.titleFr, call.titleAr)}
            {call.closesOn ? (
              <Text component="span" fw={400}>
                {" — "}
                {t("home.call.openUntil", { date: formatDay(call.closesOn, language) })}
              </Text>
            ) : null}
          </Fact>
        </dl>
        <Text>
          {t("applications.start.fixed")}{" "}
          <Anchor component={Link} to={newApplicationPath(company.id)}>
            {t("applications.start.newInstead")}
          </Anchor>
        </Text>
        <WizardActions submitting={false} />
      </Stack>
    </form>
  );
}
