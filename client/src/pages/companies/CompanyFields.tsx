import { Fieldset, NativeSelect, Radio, Stack, Text, TextInput } from "@mantine/core";
import { Controller, type UseFormReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useRegions, useSectors } from "../../api/queries";
import { LEGAL_FORMS } from "../../api/types";
import { useFieldError } from "../../components/forms/FieldError";
import { fieldId } from "../../components/forms/useFormFeedback";
import { useLanguage } from "../../i18n/useLanguage";
import { emailRules, fullNameRules } from "../auth/validation";
import { companyRules, type CompanyValues } from "./companyForm";

interface CompanyFieldsProps {
  form: UseFormReturn<CompanyValues>;
  formId: string;
}

/** The profile, grouped by topic as on the company's papers: identification, registrations, activity. */
export function CompanyFields({ form, formId }: CompanyFieldsProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const fieldError = useFieldError(form);
  const rules = companyRules(t);
  const sectors = useSectors();
  const regions = useRegions();
  const id = (name: string) => fieldId(formId, name);
  const nameOf = (item: { nameFr: string; nameAr: string }) => (language === "ar" ? item.nameAr : item.nameFr);
  const choose = { value: "", label: t("companies.form.choose") };

  return (
    <>
      <Fieldset legend={t("companies.form.identification")} className="form-fieldset">
        <Stack gap="md">
          <TextInput
            id={id("ice")}
            label={t("companies.fields.ice.label")}
            description={t("companies.fields.ice.hint")}
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            dir="ltr"
            classNames={{ input: "input-short" }}
            required
            error={fieldError("ice")}
            {...form.register("ice", rules.ice)}
          />
          <TextInput
            id={id("name")}
            label={t("companies.fields.name.label")}
            description={t("companies.fields.name.hint")}
            autoComplete="organization"
            required
            error={fieldError("name")}
            {...form.register("name", rules.name)}
          />
          <NativeSelect
            id={id("legalForm")}
            label={t("companies.fields.legalForm.label")}
            classNames={{ wrapper: "input-short" }}
            required
            error={fieldError("legalForm")}
            data={[choose, ...LEGAL_FORMS.map((value) => ({ value, label: t(`companies.legalForms.${value}`) }))]}
            {...form.register("legalForm", rules.legalForm)}
          />
        </Stack>
      </Fieldset>

      <Fieldset legend={t("companies.form.registrations")} className="form-fieldset">
        <Stack gap="md">
          <Text fz="sm">{t("companies.form.registrationsHint")}</Text>
          <TextInput
            id={id("rcNumber")}
            label={t("companies.fields.rcNumber.label")}
            autoComplete="off"
            dir="ltr"
            classNames={{ input: "input-short" }}
            required
            error={fieldError("rcNumber")}
            {...form.register("rcNumber", rules.rcNumber)}
          />
          <TextInput
            id={id("rcCourt")}
            label={t("companies.fields.rcCourt.label")}
            description={t("companies.fields.rcCourt.hint")}
            autoComplete="off"
            classNames={{ input: "input-short" }}
            required
            error={fieldError("rcCourt")}
            {...form.register("rcCourt", rules.rcCourt)}
          />
          <TextInput
            id={id("ifNumber")}
            label={t("companies.fields.ifNumber.label")}
            description={t("companies.fields.ifNumber.hint")}
            inputMode="numeric"
            autoComplete="off"
            dir="ltr"
            classNames={{ input: "input-short" }}
            required
            error={fieldError("ifNumber")}
            {...form.register("ifNumber", rules.ifNumber)}
          />
          <TextInput
            id={id("cnssNumber")}
            label={t("companies.fields.cnssNumber.label")}
            description={t("companies.fields.cnssNumber.hint")}
            inputMode="numeric"
            autoComplete="off"
            dir="ltr"
            classNames={{ input: "input-short" }}
            required
            error={fieldError("cnssNumber")}
            {...form.register("cnssNumber", rules.cnssNumber)}
          />
        </Stack>
      </Fieldset>

      <Fieldset legend={t("companies.form.activity")} className="form-fieldset">
        <Stack gap="md">
          <NativeSelect
            id={id("sectorCode")}
            label={t("companies.fields.sector.label")}
            required
            error={fieldError("sectorCode")}
            data={[
              choose,
              ...(sectors.data?.items ?? []).map((sector) => ({ value: sector.code, label: nameOf(sector) })),
            ]}
            {...form.register("sectorCode", rules.sectorCode)}
          />
          <NativeSelect
            id={id("regionCode")}
            label={t("companies.fields.region.label")}
            required
            error={fieldError("regionCode")}
            data={[
              choose,
              ...(regions.data?.items ?? []).map((region) => ({ value: region.code, label: nameOf(region) })),
            ]}
            {...form.register("regionCode", rules.regionCode)}
          />
          <TextInput
            id={id("city")}
            label={t("companies.fields.city.label")}
            autoComplete="address-level2"
            classNames={{ input: "input-short" }}
            required
            error={fieldError("city")}
            {...form.register("city", rules.city)}
          />
          <TextInput
            id={id("address")}
            label={t("companies.fields.address.label")}
            autoComplete="street-address"
            required
            error={fieldError("address")}
            {...form.register("address", rules.address)}
          />
          <TextInput
            id={id("foundedOn")}
            type="date"
            label={t("companies.fields.foundedOn.label")}
            description={t("companies.fields.foundedOn.hint")}
            classNames={{ input: "input-short" }}
            required
            error={fieldError("foundedOn")}
            {...form.register("foundedOn", rules.foundedOn)}
          />
          <TextInput
            id={id("employees")}
            label={t("companies.fields.employees.label")}
            description={t("companies.fields.employees.hint")}
            inputMode="numeric"
            autoComplete="off"
            dir="ltr"
            classNames={{ input: "input-short" }}
            required
            error={fieldError("employees")}
            {...form.register("employees", rules.employees)}
          />
          <TextInput
            id={id("annualTurnover")}
            label={t("companies.fields.annualTurnover.label")}
            description={t("companies.fields.annualTurnover.hint")}
            inputMode="decimal"
            autoComplete="off"
            dir="ltr"
            classNames={{ input: "input-short" }}
            required
            error={fieldError("annualTurnover")}
            {...form.register("annualTurnover", rules.annualTurnover)}
          />
        </Stack>
      </Fieldset>
    </>
  );
}

/** For a prescriber registering a client: who will receive the invitation to claim the company. */
export function ManagerFields({ form, formId }: CompanyFieldsProps) {
  const { t } = useTranslation();
  const fieldError = useFieldError(form);
  const id = (name: string) => fieldId(formId, name);
  return (
    <Fieldset legend={t("companies.form.manager")} className="form-fieldset">
      <Stack gap="md">
        <Text>{t("companies.form.managerIntro")}</Text>
        <TextInput
          id={id("managerName")}
          label={t("companies.fields.managerName.label")}
          autoComplete="off"
          required
          error={fieldError("managerName")}
          {...form.register("managerName", fullNameRules(t, t("companies.form.validation.managerNameRequired")))}
        />
        <TextInput
          id={id("managerEmail")}
          label={t("companies.fields.managerEmail.label")}
          description={t("companies.fields.managerEmail.hint")}
          type="email"
          inputMode="email"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          dir="ltr"
          required
          error={fieldError("managerEmail")}
          {...form.register("managerEmail", emailRules(t))}
        />
        <Controller
          control={form.control}
          name="managerLocale"
          render={({ field }) => (
            <Radio.Group
              name={field.name}
              value={field.value}
              onChange={(value) => field.onChange(value)}
              label={t("companies.fields.managerLocale.label")}
            >
              <Stack gap="sm" mt="sm">
                <Radio id={id("managerLocale")} ref={field.ref} value="fr" label="Français" lang="fr" />
                <Radio id={id("managerLocale-ar")} value="ar" label="العربية" lang="ar" />
              </Stack>
            </Radio.Group>
          )}
        />
      </Stack>
    </Fieldset>
  );
}
