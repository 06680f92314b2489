import { Anchor, Table, VisuallyHidden } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { ApplicationSummary } from "../../api/applications";
import { formatInstant, formatMoney } from "../../format";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { ApplicationStatusBadge } from "./StatusBadge";
import { applicationPagePath } from "./wizard/steps";

interface ApplicationsTableProps {
  applications: ApplicationSummary[];
  caption: string;
  /** The company page lists one company's files: its name would repeat on every row. */
  withCompany?: boolean;
}

export function ApplicationsTable({ applications, caption, withCompany = true }: ApplicationsTableProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <div className="table-scroll">
      <Table
        striped
        verticalSpacing="sm"
        className={withCompany ? "applications-table" : "applications-table applications-table--narrow"}
      >
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("applications.list.reference")}</Table.Th>
            {withCompany ? <Table.Th scope="col">{t("applications.start.company")}</Table.Th> : null}
            <Table.Th scope="col">{t("applications.start.call")}</Table.Th>
            <Table.Th scope="col">{t("applications.list.status")}</Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("applications.list.grant")}
            </Table.Th>
            <Table.Th scope="col">{t("applications.list.updatedAt")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {applications.map((application) => (
            <Table.Tr key={application.id}>
              <Table.Th scope="row" className="nowrap">
                <Anchor component={Link} to={applicationPagePath(application.id)} fw={700}>
                  {application.reference ? (
                    <bdi dir="ltr">{application.reference}</bdi>
                  ) : (
                    <>
                      {t("applications.list.draft")}
                      <VisuallyHidden>
                        {" "}
                        {t("applications.list.draftOf", {
                          company: application.company.name,
                          date: formatInstant(application.updatedAt, language),
                        })}
                      </VisuallyHidden>
                    </>
                  )}
                </Anchor>
              </Table.Th>
              {withCompany ? <Table.Td>{application.company.name}</Table.Td> : null}
              <Table.Td>{pickLocalized(language, application.call.titleFr, application.call.titleAr)}</Table.Td>
              <Table.Td>
                <ApplicationStatusBadge status={application.status} />
              </Table.Td>
              <Table.Td className="numeric nowrap">
                <bdi>{formatMoney(application.grantAmount, language)}</bdi>
              </Table.Td>
              <Table.Td>{formatInstant(application.updatedAt, language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
