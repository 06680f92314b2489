// The options of the statistics charts, built for a language. ECharts knows nothing of RTL: it
// lays text out left to right (its container is kept `direction: ltr`, or SVG text anchors would
// flip and labels run over the bars). In Arabic the category axis goes to the right, the value
// axis runs from right to left and the legend reads from the right, so the charts read in the
// page's direction; each Arabic label is a right-to-left isolate, so "الملفات المودعة: 8" keeps
// its number at the end. Numbers are written as in the tables.
import { formatMoney } from "../../format";
import type { Language } from "../../i18n/languages";
import type { ChartOption } from "./EChart";
import { formatCompact, formatCount } from "./numbers";

export interface BarDatum {
  label: string;
  value: number;
}

// The theme's greens (theme.ts): 7 is the primary shade, 8 and 9 darker.
const GREEN = "#0b6b3a";
const GREEN_DARK = "#075c31";
const BLUE = "#1c7ed6";
const GREY = "#dee2e6";
const INK = "#212529";
const AXIS = "#868e96";
const GRID_LINE = "#e9ecef";

const rtl = (language: Language) => language === "ar";

/** A label as a right-to-left isolate (RLI … PDI) in Arabic; unchanged in French. */
export function isolate(text: string, language: Language): string {
  return rtl(language) ? `\u2067${text}\u2069` : text;
}

/** Tooltips drawn in the SVG (renderMode "richText"): the HTML ones would break the CSP. */
function tooltip(format: (value: number) => string): ChartOption["tooltip"] {
  return {
    trigger: "axis",
    axisPointer: { type: "shadow" },
    renderMode: "richText",
    confine: true,
    backgroundColor: "#ffffff",
    borderColor: AXIS,
    textStyle: { color: INK },
    valueFormatter: (value) => format(Number(value)),
  };
}

const splitLine = { lineStyle: { color: GRID_LINE } };

/** Vertical columns, one per year (time runs right to left in Arabic). */
export function columnsByYear(data: BarDatum[], seriesName: string, language: Language): ChartOption {
  const count = (value: number) => formatCount(value, language);
  return {
    grid: { left: 8, right: 8, top: 28, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
    tooltip: tooltip(count),
    xAxis: {
      type: "category",
      inverse: rtl(language),
      data: data.map((datum) => datum.label),
      axisLine: { lineStyle: { color: AXIS } },
      axisLabel: { color: INK, fontSize: 13 },
    },
    yAxis: {
      type: "value",
      position: rtl(language) ? "right" : "left",
      minInterval: 1,
      splitLine,
      axisLabel: { color: INK, hideOverlap: true, formatter: (value: number) => count(value) },
    },
    series: [
      {
        type: "bar",
        name: isolate(seriesName, language),
        data: data.map((datum) => datum.value),
        itemStyle: { color: GREEN, borderRadius: [3, 3, 0, 0] },
        barMaxWidth: 56,
        label: { show: true, position: "top", color: INK, formatter: ({ value }) => count(Number(value)) },
      },
    ],
  };
}

/**
 * Room for the names of a bar chart: up to 170 px, less on a phone (a longer name is cut with
 * "…"; the table beside has it whole). Truncation measures the whole name first, so Arabic
 * names that fit are never cut.
 */
function categoryLabel(width: number) {
  return {
    color: INK,
    fontSize: 12,
    width: Math.min(170, Math.max(72, Math.round(width * 0.4))),
    overflow: "truncate" as const,
    ellipsis: "…",
  };
}

/** Horizontal bars, one per region or sector, in the table's order (top to bottom). */
export function horizontalBars(data: BarDatum[], seriesName: string, language: Language, width: number): ChartOption {
  const count = (value: number) => formatCount(value, language);
  const inRtl = rtl(language);
  return {
    grid: {
      left: inRtl ? 44 : 8,
      right: inRtl ? 8 : 44,
      top: 8,
      bottom: 8,
      outerBoundsMode: "same",
      outerBoundsContain: "axisLabel",
    },
    tooltip: tooltip(count),
    xAxis: {
      type: "value",
      inverse: inRtl,
      minInterval: 1,
      splitLine,
      axisLabel: { color: INK, hideOverlap: true, formatter: (value: number) => count(value) },
    },
    yAxis: {
      type: "category",
      inverse: true,
      position: inRtl ? "right" : "left",
      data: data.map((datum) => isolate(datum.label, language)),
      axisLine: { lineStyle: { color: AXIS } },
      axisTick: { show: false },
      // Not "break": ECharts wraps by measuring letter by letter, and isolated Arabic letters are
      // wider than joined ones (every word went to its own line).
      axisLabel: categoryLabel(width),
    },
    series: [
      {
        type: "bar",
        name: isolate(seriesName, language),
        data: data.map((datum) => datum.value),
        itemStyle: { color: GREEN, borderRadius: inRtl ? [3, 0, 0, 3] : [0, 3, 3, 0] },
        barMaxWidth: 22,
        label: {
          show: true,
          position: inRtl ? "left" : "right",
          color: INK,
          formatter: ({ value }) => count(Number(value)),
        },
      },
    ],
  };
}

export interface BudgetDatum {
  label: string;
  paid: number;
  committed: number;
  available: number;
}

export type BudgetPartNames = Record<"paid" | "committed" | "available", string>;

const PARTS_ORDER: Array<keyof BudgetPartNames> = ["paid", "committed", "available"];

/**
 * Stacked bars: paid, committed, available (the three add up to the envelope), in the budget
 * page's colours; the commitment is striped so that the parts stay apart without colour.
 */
export function stackedBudget(
  data: BudgetDatum[],
  names: BudgetPartNames,
  language: Language,
  width: number,
): ChartOption {
  const inRtl = rtl(language);
  const money = (value: number) => formatMoney(value.toFixed(2), language);
  const part = (key: keyof BudgetPartNames, color: string, extra: object = {}) => ({
    type: "bar" as const,
    name: isolate(names[key], language),
    stack: "envelope",
    data: data.map((datum) => datum[key]),
    barMaxWidth: 26,
    itemStyle: { color, borderColor: "#adb5bd", borderWidth: key === "available" ? 1 : 0, ...extra },
  });
  return {
    legend: {
      top: 0,
      [inRtl ? "right" : "left"]: 0,
      align: inRtl ? "right" : "left",
      textStyle: { color: INK },
      selectedMode: false,
      // Read from the right in Arabic: the first part (paid) at the right end.
      data: (inRtl ? [...PARTS_ORDER].reverse() : PARTS_ORDER).map((key) => isolate(names[key], language)),
    },
    grid: {
      left: inRtl ? 16 : 8,
      right: inRtl ? 8 : 16,
      top: 40,
      bottom: 8,
      outerBoundsMode: "same",
      outerBoundsContain: "axisLabel",
    },
    tooltip: tooltip(money),
    xAxis: {
      type: "value",
      inverse: inRtl,
      splitLine,
      axisLabel: { color: INK, hideOverlap: true, formatter: (value: number) => formatCompact(value, language) },
    },
    yAxis: {
      type: "category",
      inverse: true,
      position: inRtl ? "right" : "left",
      data: data.map((datum) => isolate(datum.label, language)),
      axisLine: { lineStyle: { color: AXIS } },
      axisTick: { show: false },
      // Not "break": ECharts wraps by measuring letter by letter, and isolated Arabic letters are
      // wider than joined ones (every word went to its own line).
      axisLabel: categoryLabel(width),
    },
    series: [
      part("paid", GREEN_DARK),
      part("committed", BLUE, {
        decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [3, 5], rotation: -Math.PI / 4, color: "#74c0fc" },
      }),
      part("available", GREY),
    ],
  };
}

export interface FunnelDatum {
  label: string;
  value: number;
  /** The label drawn beside the step, e.g. "Dossiers déposés : 1 200". */
  text: string;
}

const FUNNEL_SHADES = ["#a5d3b8", "#74bb92", "#4da672", "#238a4f", "#0b6b3a", "#034d28"];

/**
 * The programme's funnel, widest step first; labels outside, on the reading side's end. On a
 * phone the funnel narrows and its labels wrap, so that they stay inside the chart.
 */
export function funnel(data: FunnelDatum[], seriesName: string, language: Language, width: number): ChartOption {
  const inRtl = rtl(language);
  const narrow = width < 560;
  const funnelShare = narrow ? 0.4 : 0.55;
  const max = Math.max(1, ...data.map((datum) => datum.value));
  return {
    tooltip: { trigger: "item", renderMode: "richText", confine: true, textStyle: { color: INK } },
    series: [
      {
        type: "funnel",
        name: isolate(seriesName, language),
        sort: "none",
        min: 0,
        max,
        minSize: "0%",
        gap: 3,
        top: 8,
        bottom: 8,
        width: `${funnelShare * 100}%`,
        left: inRtl ? `${(1 - funnelShare - 0.02) * 100}%` : "2%",
        funnelAlign: "center",
        label: {
          show: true,
          position: inRtl ? "left" : "right",
          color: INK,
          fontSize: narrow ? 12 : 13,
          lineHeight: 15,
          // On a phone, the name above its number (ECharts' own wrapping measures Arabic letter by
          // letter and cuts every word).
          formatter: ({ dataIndex }) => {
            const datum = data[dataIndex];
            if (!datum) return "";
            return narrow
              ? `${isolate(datum.label, language)}\n${formatCount(datum.value, language)}`
              : isolate(datum.text, language);
          },
        },
        labelLine: { show: true, lineStyle: { color: AXIS } },
        tooltip: { valueFormatter: (value) => formatCount(Number(value), language) },
        data: data.map((datum, index) => ({
          name: isolate(datum.label, language),
          value: datum.value,
          itemStyle: { color: FUNNEL_SHADES[index % FUNNEL_SHADES.length], borderColor: "#ffffff" },
        })),
      },
    ],
  };
}
