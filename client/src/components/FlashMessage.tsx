import { Alert } from "@mantine/core";
import { useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import type { FlashKind, FlashState } from "../navigation";

const COLORS: Record<FlashKind, string> = {
  loggedOut: "green",
  logoutFailed: "red",
  passwordReset: "green",
  passwordSetUp: "green",
  companyRegistered: "green",
  companyClaimed: "green",
};

/** A message left by the previous page ("you are signed out"), at the top of the new one. */
export function FlashMessage() {
  const { t } = useTranslation();
  const { state } = useLocation() as { state: FlashState | null };
  const flash = state?.flash;
  if (!flash || !(flash in COLORS)) {
    return null;
  }
  return (
    <Alert color={COLORS[flash]} variant="light" mb="xl" role={flash === "logoutFailed" ? "alert" : "status"}>
      {t(`flash.${flash}`)}
    </Alert>
  );
}
