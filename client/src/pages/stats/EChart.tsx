// ECharts, tree-shaken: only the bar and funnel charts, their components and the SVG renderer are
// bundled, and only in the statistics page's chunk (loaded lazily by the router).
//
// CSP: the page's policy allows styles from 'self' and the nonce only. The SVG renderer sets its
// styles through the CSSOM (element.style.cssText), which the policy does not govern, and inserts
// no <style> element outside server-side rendering. The HTML tooltip would write markup with style
// attributes through innerHTML, which the policy blocks: tooltips are drawn in the SVG instead
// (renderMode "richText").
import { BarChart, FunnelChart, type BarSeriesOption, type FunnelSeriesOption } from "echarts/charts";
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type AriaComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useMemo, useRef, useState } from "react";
import { theme } from "../../theme";

echarts.use([BarChart, FunnelChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | FunnelSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | AriaComponentOption
>;

/** An option, or one built for the container's width (in steps of WIDTH_STEP pixels). */
export type ChartOptionSource = ChartOption | ((width: number) => ChartOption);

const WIDTH_STEP = 40;
/** Until the container is measured: a desktop half-column. */
const DEFAULT_WIDTH = 640;

interface EChartProps {
  option: ChartOptionSource;
  /** What the chart shows, for screen readers (the container is role="img"). */
  description: string;
  /** In pixels: charts with many rows need more room. */
  height: number;
}

/** Bars do not grow in for people who asked their system for less motion. */
const reducedMotion = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;

/** The page's font and colour for every text of the chart (Arabic shapes with Noto Sans Arabic). */
const BASE_OPTION: ChartOption = {
  textStyle: { fontFamily: theme.fontFamily, fontSize: 13, color: "#212529" },
  animation: !reducedMotion,
  animationDuration: 400,
};

/**
 * One chart: created on mount, given its option whenever it changes, resized with its container,
 * disposed on unmount. The table next to it carries the same numbers and is the accessible
 * source; ECharts' aria module names the chart (role="img", aria-label = description).
 */
export function EChart({ option, description, height }: EChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  const resolved = useMemo(() => (typeof option === "function" ? option(width) : option), [option, width]);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const chart = echarts.init(container, null, { renderer: "svg" });
    chartRef.current = chart;
    const observer = new ResizeObserver(([entry]) => {
      chart.resize();
      // Labels are laid out for the width (a phone gets shorter ones): rebuilt by steps only.
      if (entry) setWidth(Math.max(WIDTH_STEP, Math.floor(entry.contentRect.width / WIDTH_STEP) * WIDTH_STEP));
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption(
      {
        ...BASE_OPTION,
        ...resolved,
        aria: { enabled: true, label: { enabled: true, description }, decal: { show: false } },
      },
      { notMerge: true },
    );
  }, [resolved, description]);

  // The height goes through React's style property (CSSOM), which the CSP allows.
  return <div ref={containerRef} className="stats-chart" style={{ blockSize: `${height}px` }} />;
}
