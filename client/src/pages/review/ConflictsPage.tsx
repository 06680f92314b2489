import {
  Anchor,
  Button,
  Group,
  Modal,
  Paper,
  Radio,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Controller, useForm } from "react-hook-form";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { companiesApi } from "../../api/companies";
import { reviewKeys, useConflicts } from "../../api/queries";
import { reviewApi, type Conflict } from "../../api/review";
import { sessionKeys } from "../../api/session";
import type { Company, User } from "../../api/types";
import { ConfirmActionBody } from "../../components/ConfirmActionBody";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { StatusMessage } from "../../components/StatusMessage";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { formatInstantDay } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { mayReview } from "./shared";

function ConflictsTable({ conflicts }: { conflicts: Conflict[] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <div className="table-scroll">
      <Table striped verticalSpacing="sm" className="conflicts-table">
        <Table.Caption className="table-caption">{t("conflicts.caption", { count: conflicts.length })}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("applications.start.company")}</Table.Th>
            <Table.Th scope="col">{t("companies.list.ice")}</Table.Th>
            <Table.Th scope="col">{t("conflicts.reason")}</Table.Th>
            <Table.Th scope="col">{t("conflicts.declaredOn")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {conflicts.map((conflict) => (
            <Table.Tr key={conflict.id}>
              <Table.Th scope="row">
                <Anchor component={Link} to={`/entreprises/${conflict.companyId}`}>
                  {conflict.companyName}
                </Anchor>
              </Table.Th>
              <Table.Td className="nowrap">
                <bdi dir="ltr">{conflict.companyIce}</bdi>
              </Table.Td>
              <Table.Td className="preserve-lines">{conflict.reason}</Table.Td>
              <Table.Td className="nowrap">{formatInstantDay(conflict.createdAt, language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

interface DeclareValues {
  companyId: string;
  reason: string;
}

const FORM_ID = "conflict";
const FIELDS = fieldRefs<DeclareValues>(FORM_ID, ["companyId", "reason"]);

/** Find the company (name or ICE), say why, confirm: from then on its files are someone else's. */
function DeclareForm({ declared, onDeclared }: { declared: Set<string>; onDeclared: (company: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [q, setQ] = useState("");
  const [searchKey, setSearchKey] = useState(0);
  const search = useQuery({
    queryKey: [...sessionKeys.companies, { q, page: 1, pageSize: 10 }],
    queryFn: ({ signal }) => companiesApi.list({ q, page: 1, pageSize: 10 }, signal),
    enabled: q !== "",
  });
  const form = useForm<DeclareValues>({ defaultValues: { companyId: "", reason: "" }, shouldFocusError: false });
  const { feedback, clear, onInvalid, show } = useFormFeedback(form, FIELDS);
  const fieldError = useFieldError(form);
  const [confirming, setConfirming] = useState<{ company: Company; reason: string } | null>(null);
  const [opened, setOpened] = useState(false);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);
  const results = (search.data?.items ?? []).filter((company) => !declared.has(company.id));

  const find = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    form.setValue("companyId", "");
    setQ(String(new FormData(event.currentTarget).get("q") ?? "").trim());
  };

  const onValid = (values: DeclareValues) => {
    clear();
    const company = results.find((candidate) => candidate.id === values.companyId);
    if (!company) {
      show({
        title: t("forms.summary.title", { count: 1 }),
        items: [{ fieldId: "conflict-q", message: t("conflicts.companyRequired") }],
      });
      return;
    }
    setSendError(null);
    setConfirming({ company, reason: values.reason.trim() });
    setOpened(true);
  };

  const confirm = async () => {
    if (!confirming) return;
    setSending(true);
    try {
      await reviewApi.declareConflict(confirming.company.id, confirming.reason);
      await queryClient.invalidateQueries({ queryKey: reviewKeys.conflicts });
      setOpened(false);
      form.reset({ companyId: "", reason: "" });
      setQ("");
      setSearchKey((count) => count + 1);
      onDeclared(confirming.company.name);
    } catch (error) {
      // Said in the dialog, where the person acted (409: already declared).
      setSendError(error);
    } finally {
      setSending(false);
    }
  };

  const choices = () => {
    if (q === "") return <Text>{t("conflicts.searchFirst")}</Text>;
    if (search.isPending) return <LoadingStatus label={t("conflicts.searching")} />;
    if (search.isError) {
      return (
        <QueryErrorAlert
          title={t("conflicts.searchError")}
          error={search.error}
          onRetry={() => void search.refetch()}
          retrying={search.isFetching}
        />
      );
    }
    if (results.length === 0) return <Text className="empty-state">{t("conflicts.noMatch")}</Text>;
    return (
      <Controller
        control={form.control}
        name="companyId"
        rules={{ validate: (value) => value !== "" || t("conflicts.companyRequired") }}
        render={({ field }) => (
          <Radio.Group
            name={field.name}
            value={field.value}
            onChange={(value) => field.onChange(value)}
            label={t("conflicts.company")}
            required
            error={fieldError("companyId")}
          >
            <Stack gap="sm" mt="sm">
              {results.map((company, index) => (
                <Radio
                  key={company.id}
                  id={index === 0 ? fieldId(FORM_ID, "companyId") : fieldId(FORM_ID, `companyId-${company.id}`)}
                  ref={index === 0 ? field.ref : undefined}
                  onBlur={field.onBlur}
                  value={company.id}
                  label={company.name}
                  description={t("conflicts.companyFacts", { ice: company.ice, city: company.city })}
                  classNames={{ label: "choice-label" }}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
      />
    );
  };

  return (
    <Stack gap="md">
      {feedback ? (
        <ErrorSummary
          title={feedback.title}
          items={feedback.items}
          description={feedback.description}
          focusKey={feedback.focusKey}
          headingOrder={3}
        />
      ) : null}
      <form
        key={searchKey}
        role="search"
        aria-label={t("conflicts.searchLabel")}
        onSubmit={find}
        className="filters-form"
      >
        <Group gap="md" align="flex-end" wrap="wrap">
          <TextInput
            id="conflict-q"
            name="q"
            type="search"
            label={t("conflicts.q")}
            description={t("conflicts.qHint")}
            maxLength={100}
            miw={280}
          />
          <Button type="submit" size="md" variant="light">
            {t("conflicts.search")}
          </Button>
        </Group>
      </form>
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="md">
          <RequiredNote />
          <div aria-live="polite">{choices()}</div>
          <Textarea
            id={fieldId(FORM_ID, "reason")}
            label={t("conflicts.reason")}
            description={t("review.conflict.reasonHint")}
            required
            autosize
            minRows={2}
            size="md"
            error={fieldError("reason")}
            {...form.register("reason", {
              validate: (value) => {
                const text = value.trim();
                if (text === "") return t("review.conflict.reasonRequired");
                return text.length >= 3 || t("review.validation.tooShort", { min: 3 });
              },
            })}
          />
          <div>
            <SubmitButton submitting={false}>{t("conflicts.submit")}</SubmitButton>
          </div>
        </Stack>
      </form>
      <Modal
        centered
        lockScroll={false}
        size="lg"
        opened={opened}
        onClose={() => setOpened(false)}
        title={t("review.conflict.dialogTitle", { company: confirming?.company.name ?? "" })}
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        <ConfirmActionBody
          text={t("review.conflict.dialogText", { company: confirming?.company.name ?? "" })}
          confirmLabel={t("review.conflict.confirm")}
          onConfirm={() => void confirm()}
          onClose={() => setOpened(false)}
          pending={sending}
          error={sendError}
        />
      </Modal>
    </Stack>
  );
}

function Conflicts() {
  const { t } = useTranslation();
  const conflicts = useConflicts();
  const [announcement, setAnnouncement] = useState<string | null>(null);

  const list = () => {
    if (conflicts.isPending) return <LoadingStatus label={t("conflicts.loading")} />;
    if (conflicts.isError) {
      return (
        <QueryErrorAlert
          title={t("conflicts.errorTitle")}
          error={conflicts.error}
          onRetry={() => void conflicts.refetch()}
          retrying={conflicts.isFetching}
        />
      );
    }
    if (conflicts.data.items.length === 0) return <Text className="empty-state">{t("conflicts.empty")}</Text>;
    return <ConflictsTable conflicts={conflicts.data.items} />;
  };

  return (
    <>
      <title>{t("conflicts.documentTitle")}</title>
      <Stack gap="xl" maw={960}>
        <Stack gap="xs">
          <Anchor component={Link} to="/instruction">
            {t("review.page.back")}
          </Anchor>
          <Title order={1}>{t("conflicts.title")}</Title>
          <Text fz="lg">{t("conflicts.intro")}</Text>
        </Stack>
        <StatusMessage>{announcement}</StatusMessage>
        <Paper component="section" withBorder p="lg" aria-labelledby="conflicts-list-title">
          <Stack gap="md">
            <Title order={2} id="conflicts-list-title">
              {t("conflicts.listTitle")}
            </Title>
            {list()}
          </Stack>
        </Paper>
        <Paper component="section" withBorder p="lg" aria-labelledby="conflicts-declare-title">
          <Stack gap="md">
            <Title order={2} id="conflicts-declare-title">
              {t("conflicts.declareTitle")}
            </Title>
            <Text>{t("conflicts.declareIntro")}</Text>
            <DeclareForm
              declared={new Set(conflicts.data?.items.map((conflict) => conflict.companyId) ?? [])}
              onDeclared={(company) => setAnnouncement(t("review.conflict.done", { company }))}
            />
          </Stack>
        </Paper>
      </Stack>
    </>
  );
}

function ConflictsGuard({ user }: { user: User }) {
  return mayReview(user.role) ? <Conflicts /> : <AccessReserved />;
}

export function ConflictsPage() {
  return <RequireAuth>{(user) => <ConflictsGuard user={user} />}</RequireAuth>;
}
