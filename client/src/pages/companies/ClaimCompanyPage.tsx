import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { companiesApi } from "../../api/companies";
import { ApiError } from "../../api/client";
import { sessionKeys, useCurrentUser } from "../../api/session";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { loginPathFor, type FlashState } from "../../navigation";

function ClaimError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || error.status === 0 || error.status >= 500) {
    return (
      <Alert color="red" variant="light" role="alert" title={t("companies.claim.failedTitle")}>
        {error instanceof ApiError && error.status === 0 ? t("common.errors.network") : t("common.errors.server")}
      </Alert>
    );
  }
  const title =
    error.status === 400
      ? t("companies.claim.invalidTitle")
      : error.status === 403
        ? t("companies.claim.notApplicantTitle")
        : t("companies.claim.failedTitle");
  const help =
    error.status === 400
      ? t("companies.claim.invalidHelp")
      : error.status === 403
        ? t("companies.claim.notApplicantHelp")
        : error.status === 409
          ? t("companies.claim.alreadyClaimedHelp")
          : null;
  return (
    <Alert color="red" variant="light" role="alert" title={title}>
      <Stack gap="xs">
        <Text>{error.detail ?? error.title}</Text>
        {help ? <Text>{help}</Text> : null}
      </Stack>
    </Alert>
  );
}

export function ClaimCompanyPage() {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const token = searchParams.get("token") ?? "";
  const here = `${location.pathname}${location.search}`;
  const claim = useMutation({
    mutationFn: () => companiesApi.claim(token),
    onSuccess: async (company) => {
      await queryClient.invalidateQueries({ queryKey: sessionKeys.companies });
      void navigate(`/entreprises/${company.id}`, { state: { flash: "companyClaimed" } satisfies FlashState });
    },
  });

  const body = () => {
    if (token === "") {
      return (
        <Alert color="red" variant="light" title={t("companies.claim.invalidTitle")}>
          {t("companies.claim.missingToken")}
        </Alert>
      );
    }
    if (me.isPending) {
      return <LoadingStatus label={t("common.loading")} />;
    }
    if (me.isError) {
      return (
        <QueryErrorAlert
          title={t("session.loadError")}
          error={me.error}
          onRetry={() => void me.refetch()}
          retrying={me.isFetching}
        />
      );
    }
    if (me.data === null) {
      return (
        <Stack gap="md">
          <Text>{t("companies.claim.signedOut")}</Text>
          <Group gap="sm" wrap="wrap">
            <Button component={Link} to={`/inscription?next=${encodeURIComponent(here)}`} size="md">
              {t("companies.claim.createAccount")}
            </Button>
            <Button component={Link} to={loginPathFor(here)} size="md" variant="outline">
              {t("companies.claim.login")}
            </Button>
          </Group>
          <Text fz="sm" c="dimmed">
            {t("companies.claim.comeBack")}
          </Text>
        </Stack>
      );
    }
    if (me.data.role !== "applicant") {
      return (
        <Alert color="yellow" variant="light" title={t("companies.claim.notApplicantTitle")}>
          <Stack gap="xs">
            <Text>{t("companies.claim.notApplicantHelp")}</Text>
            <Anchor component={Link} to="/mon-compte">
              {t("accessReserved.account")}
            </Anchor>
          </Stack>
        </Alert>
      );
    }
    return (
      <Stack gap="md" align="flex-start">
        {claim.isError ? <ClaimError error={claim.error} /> : null}
        <Text>{t("companies.claim.signedIn", { name: me.data.fullName })}</Text>
        <Button size="md" onClick={() => claim.mutate()} loading={claim.isPending} disabled={claim.isSuccess}>
          {t("companies.claim.submit")}
        </Button>
      </Stack>
    );
  };

  return (
    <>
      <title>{t("companies.claim.documentTitle")}</title>
      <Stack gap="xl" maw={760}>
        <Stack gap="xs">
          <Title order={1}>{t("companies.claim.title")}</Title>
          <Text fz="lg">{t("companies.claim.intro")}</Text>
        </Stack>
        <Paper withBorder p="lg">
          {body()}
        </Paper>
      </Stack>
    </>
  );
}
