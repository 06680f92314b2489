import { Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ApplicationLine } from "../../api/applications";
import { formatMoney, formatRate } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";

/** The investment lines as the server kept them, with the VAT it computed for each. */
export function LinesTable({ lines, caption }: { lines: ApplicationLine[]; caption: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (lines.length === 0) {
    return <Text className="empty-state">{t("applications.lines.none")}</Text>;
  }
  return (
    <div className="table-scroll">
      <Table striped verticalSpacing="sm" className="lines-table">
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("applications.lines.label")}</Table.Th>
            <Table.Th scope="col">{t("applications.lines.category")}</Table.Th>
            <Table.Th scope="col">{t("applications.lines.supplier")}</Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("applications.lines.amount")}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("applications.lines.vatRate")}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("applications.lines.vatAmount")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((line) => (
            <Table.Tr key={line.id}>
              <Table.Th scope="row">{line.label}</Table.Th>
              <Table.Td>{t(`applications.categories.${line.category}`)}</Table.Td>
              <Table.Td>{line.supplierName ?? t("applications.lines.noSupplier")}</Table.Td>
              <Table.Td className="numeric nowrap">
                <bdi>{formatMoney(line.amountExclTax, language)}</bdi>
              </Table.Td>
              <Table.Td className="numeric nowrap">
                <bdi>{formatRate(line.vatRate, language)}</bdi>
              </Table.Td>
              <Table.Td className="numeric nowrap">
                <bdi>{formatMoney(line.vatAmount, language)}</bdi>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
