import {
  Button,
  Fieldset,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  VisuallyHidden,
} from "@mantine/core";
import { useRef, useState } from "react";
import { useFieldArray, type UseFormReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { LINE_CATEGORIES, VAT_RATES, type ApplicationLine, type LineCategory } from "../../api/applications";
import { useSuppliers } from "../../api/queries";
import { useFieldError } from "../../components/forms/FieldError";
import { fieldId } from "../../components/forms/useFormFeedback";
import { formatMoney, formatRate } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { emptyLine, lineRules, LABEL_MAX_LENGTH, type LinesFormValues } from "./lineForm";

export const MAX_LINES = 50;

interface LineFieldsProps {
  form: UseFormReturn<LinesFormValues>;
  formId: string;
  /** The application's lines: label and supplier; the simulator only asks category, amount and VAT. */
  detailed: boolean;
  /** The lines as the server last computed them (their VAT), same order as the form. */
  computed?: ApplicationLine[];
  newLineCategory?: LineCategory | "";
}

/** The investment lines: one fieldset each ("Ligne 2"), with add and remove buttons. */
export function LineFields({ form, formId, detailed, computed, newLineCategory = "" }: LineFieldsProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const fieldError = useFieldError(form);
  const rules = lineRules(t);
  const suppliers = useSuppliers();
  const { fields, append, remove } = useFieldArray({ control: form.control, name: "lines" });
  const addButton = useRef<HTMLButtonElement>(null);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const id = (name: string) => fieldId(formId, name);
  const choose = { value: "", label: t("companies.form.choose") };
  const linesError = fieldError("lines");

  const removeLine = (index: number) => {
    remove(index);
    setAnnouncement(t("applications.lines.removed", { number: index + 1 }));
    // The removed line's button is gone: keyboard users continue from "add a line".
    requestAnimationFrame(() => addButton.current?.focus());
  };

  return (
    <Stack gap="md">
      <div id={id("lines")} tabIndex={-1}>
        {linesError ? (
          <Text c="red.9" fw={700} fz="sm">
            {linesError}
          </Text>
        ) : null}
      </div>
      <ol className="plain-list line-list">
        {fields.map((field, index) => {
          const name = (suffix: string) => `lines.${index}.${suffix}`;
          const vat = computed?.[index]?.vatAmount;
          return (
            <li key={field.id}>
              <Fieldset
                legend={t("applications.lines.legend", { number: index + 1 })}
                className="form-fieldset line-fieldset"
              >
                <Stack gap="md">
                  {detailed ? (
                    <TextInput
                      id={id(name("label"))}
                      label={t("applications.lines.label")}
                      description={t("applications.lines.labelHint")}
                      maxLength={LABEL_MAX_LENGTH}
                      required
                      error={fieldError(`lines.${index}.label`)}
                      {...form.register(`lines.${index}.label`, rules.label)}
                    />
                  ) : null}
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
                    <NativeSelect
                      id={id(name("category"))}
                      label={t("applications.lines.category")}
                      required
                      error={fieldError(`lines.${index}.category`)}
                      data={[
                        ...(newLineCategory === "" ? [choose] : []),
                        ...LINE_CATEGORIES.map((category) => ({
                          value: category,
                          label: t(`applications.categories.${category}`),
                        })),
                      ]}
                      {...form.register(`lines.${index}.category`, rules.category)}
                    />
                    {detailed ? (
                      <NativeSelect
                        id={id(name("supplierId"))}
                        label={`${t("applications.lines.supplier")} ${t("forms.optional")}`}
                        error={fieldError(`lines.${index}.supplierId`)}
                        data={[
                          { value: "", label: t("applications.lines.noSupplier") },
                          ...(suppliers.data?.items ?? []).map((supplier) => ({
                            value: supplier.id,
                            label: `${supplier.name} (${supplier.city})`,
                          })),
                        ]}
                        {...form.register(`lines.${index}.supplierId`)}
                      />
                    ) : null}
                    <TextInput
                      id={id(name("amountExclTax"))}
                      label={t("applications.lines.amount")}
                      description={t("applications.lines.amountHint")}
                      // The hint under the box keeps the boxes of a row aligned.
                      inputWrapperOrder={["label", "input", "description", "error"]}
                      inputMode="decimal"
                      autoComplete="off"
                      spellCheck={false}
                      dir="ltr"
                      required
                      error={fieldError(`lines.${index}.amountExclTax`)}
                      {...form.register(`lines.${index}.amountExclTax`, rules.amountExclTax)}
                    />
                    <NativeSelect
                      id={id(name("vatRate"))}
                      label={t("applications.lines.vatRate")}
                      error={fieldError(`lines.${index}.vatRate`)}
                      data={VAT_RATES.map((rate) => ({ value: rate, label: formatRate(rate, language) }))}
                      {...form.register(`lines.${index}.vatRate`)}
                    />
                  </SimpleGrid>
                  <Group justify="space-between" align="center" wrap="wrap" gap="sm">
                    {vat !== undefined ? (
                      <Text fz="sm">
                        {t("applications.lines.vatOfLine")}{" "}
                        <bdi className="amount__value">{formatMoney(vat, language)}</bdi>
                      </Text>
                    ) : (
                      <span />
                    )}
                    {fields.length > 1 ? (
                      <Button variant="subtle" color="red" onClick={() => removeLine(index)}>
                        {t("applications.lines.remove")}
                        <VisuallyHidden>{t("applications.lines.removeWhich", { number: index + 1 })}</VisuallyHidden>
                      </Button>
                    ) : null}
                  </Group>
                </Stack>
              </Fieldset>
            </li>
          );
        })}
      </ol>
      <VisuallyHidden role="status" aria-live="polite">
        {announcement ?? ""}
      </VisuallyHidden>
      {fields.length < MAX_LINES ? (
        <div>
          <Button
            ref={addButton}
            variant="light"
            onClick={() => {
              setAnnouncement(null);
              append(emptyLine(newLineCategory), { shouldFocus: true });
            }}
          >
            {t("applications.lines.add")}
          </Button>
        </div>
      ) : null}
    </Stack>
  );
}
