// Investment lines as the simulator and the costs step edit them. The amount is sent as typed
// (spaces between thousands removed): the server judges its format and says what is wrong.
import type { TFunction } from "i18next";
import {
  DEFAULT_VAT_RATE,
  type ApplicationLine,
  type LineCategory,
  type LineInput,
  type SimulationLine,
} from "../../api/applications";
import { fieldRefs, type FieldRef } from "../../components/forms/useFormFeedback";
import { normaliseAmount } from "../companies/companyForm";

export interface LineValues {
  category: LineCategory | "";
  label: string;
  /** "" for none. */
  supplierId: string;
  amountExclTax: string;
  vatRate: string;
}

/** One shape for both forms; the simulator has no label or supplier, the costs step no sector. */
export interface LinesFormValues {
  sectorCode: string;
  lines: LineValues[];
}

export const LABEL_MAX_LENGTH = 200;

export function emptyLine(category: LineCategory | "" = ""): LineValues {
  return { category, label: "", supplierId: "", amountExclTax: "", vatRate: DEFAULT_VAT_RATE };
}

export function lineValuesOf(line: ApplicationLine): LineValues {
  return {
    category: line.category,
    label: line.label,
    supplierId: line.supplierId ?? "",
    amountExclTax: line.amountExclTax,
    vatRate: line.vatRate,
  };
}

export function lineInputFrom(values: LineValues): LineInput {
  return {
    category: values.category === "" ? "software" : values.category,
    label: values.label.trim(),
    supplierId: values.supplierId === "" ? null : values.supplierId,
    amountExclTax: normaliseAmount(values.amountExclTax),
    vatRate: values.vatRate,
  };
}

export function simulationLineFrom(values: LineValues): SimulationLine {
  return {
    category: values.category === "" ? "software" : values.category,
    amountExclTax: normaliseAmount(values.amountExclTax),
    vatRate: values.vatRate,
  };
}

/** Enough to ask the server (live totals): every line has its category, its amount and, in the file, its label. */
export function linesReady(lines: LineValues[], detailed: boolean): boolean {
  return (
    lines.length > 0 &&
    lines.every(
      (line) =>
        line.category !== "" &&
        normaliseAmount(line.amountExclTax) !== "" &&
        (!detailed || line.label.trim().length >= 2),
    )
  );
}

const SIMPLE_FIELDS = ["category", "amountExclTax", "vatRate"] as const;
const DETAILED_FIELDS = ["label", "category", "supplierId", "amountExclTax", "vatRate"] as const;

/** The fields of every line, in screen order, for the error summary (server paths like "lines.2.amountExclTax"). */
export function lineFieldRefs(formId: string, count: number, detailed: boolean): Array<FieldRef<LinesFormValues>> {
  const names = detailed ? DETAILED_FIELDS : SIMPLE_FIELDS;
  const lineNames = Array.from({ length: count }, (_, index) =>
    names.map((name) => `lines.${index}.${name}` as const),
  ).flat();
  return fieldRefs<LinesFormValues>(formId, ["lines", ...lineNames]);
}

/** Only what must be there; formats are the server's to judge (it says exactly what is wrong). */
export function lineRules(t: TFunction) {
  const v = "applications.lines.validation";
  return {
    category: { validate: (value: string) => value !== "" || t(`${v}.categoryRequired`) },
    label: {
      validate: (value: string) => {
        if (value.trim() === "") return t(`${v}.labelRequired`);
        if (value.trim().length < 2) return t(`${v}.labelTooShort`);
        return value.trim().length <= LABEL_MAX_LENGTH || t(`${v}.labelTooLong`, { max: LABEL_MAX_LENGTH });
      },
    },
    amountExclTax: {
      validate: (value: string) => normaliseAmount(value) !== "" || t(`${v}.amountRequired`),
    },
  };
}
