import { Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { CurrentCall } from "./home/CurrentCall";
import { Hero } from "./home/Hero";
import { HowItWorks } from "./home/HowItWorks";
import { PermisNumerique } from "./home/PermisNumerique";
import { WhatIsMoussanada } from "./home/WhatIsMoussanada";
import { WhoCanApply } from "./home/WhoCanApply";

export function HomePage() {
  const { t } = useTranslation();
  return (
    <>
      <title>{t("home.documentTitle")}</title>
      <Stack gap={48}>
        <Hero />
        <CurrentCall />
        <WhatIsMoussanada />
        <WhoCanApply />
        <HowItWorks />
        <PermisNumerique />
      </Stack>
    </>
  );
}
