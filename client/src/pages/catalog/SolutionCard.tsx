import { Accordion, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { CallRules, Solution } from "../../api/types";
import { formatMoney, formatRate } from "../../format";
import { pickLocalized, type Language } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { subsidyRange, type SubsidyRange } from "../../money";

type Rules = Pick<CallRules, "rate" | "capPerCompany">;

/** A malformed price from the catalogue hides the estimate rather than breaking the whole page. */
function estimate(solution: Solution, rules: Rules): SubsidyRange | undefined {
  try {
    return subsidyRange(solution.priceMin, solution.priceMax, rules.rate, rules.capPerCompany);
  } catch {
    return undefined;
  }
}

function usePriceTexts(solution: Solution, rules: Rules, language: Language) {
  const { t } = useTranslation();
  const money = (amount: string) => formatMoney(amount, language);
  const price =
    solution.priceMin === solution.priceMax
      ? t("catalog.card.priceSingle", { amount: money(solution.priceMin) })
      : t("catalog.card.priceRange", { min: money(solution.priceMin), max: money(solution.priceMax) });
  const subsidy = estimate(solution, rules);
  if (!subsidy) {
    return { price, subsidy: undefined };
  }
  return {
    price,
    subsidy:
      subsidy.min === subsidy.max
        ? money(subsidy.min)
        : t("catalog.card.subsidyRange", { min: money(subsidy.min), max: money(subsidy.max) }),
  };
}

function Detail({ value, title, text }: { value: string; title: string; text: string }) {
  return (
    <Accordion.Item value={value}>
      <Accordion.Control>{title}</Accordion.Control>
      <Accordion.Panel>
        <Text className="preserve-lines">{text}</Text>
      </Accordion.Panel>
    </Accordion.Item>
  );
}

export function SolutionCard({ solution, rules }: { solution: Solution; rules: Rules }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const texts = usePriceTexts(solution, rules, language);
  const local = (french: string, arabic: string) => pickLocalized(language, french, arabic);

  return (
    <Paper component="article" withBorder p="lg" className="solution-card">
      <Stack gap="sm">
        <Title order={3} fz="xl">
          {local(solution.nameFr, solution.nameAr)}
        </Title>
        <Text>{local(solution.summaryFr, solution.summaryAr)}</Text>
        <dl className="facts facts--stacked">
          <div className="fact">
            <dt className="fact__label">{t("catalog.card.supplier")}</dt>
            <dd className="fact__value">
              {t("catalog.card.supplierValue", { name: solution.supplier.name, city: solution.supplier.city })}
            </dd>
          </div>
          <div className="fact">
            <dt className="fact__label">{t("catalog.card.price")}</dt>
            <dd className="fact__value">{texts.price}</dd>
          </div>
          {texts.subsidy !== undefined && (
            <div className="fact fact--highlight">
              <dt className="fact__label">{t("catalog.card.subsidy", { rate: formatRate(rules.rate, language) })}</dt>
              <dd className="fact__value">{texts.subsidy}</dd>
            </div>
          )}
        </dl>
        <Accordion multiple variant="contained" order={4}>
          <Detail value="costs" title={t("catalog.card.costs")} text={local(solution.costsFr, solution.costsAr)} />
          <Detail
            value="benefits"
            title={t("catalog.card.benefits")}
            text={local(solution.benefitsFr, solution.benefitsAr)}
          />
        </Accordion>
      </Stack>
    </Paper>
  );
}
