import { Box } from "@mantine/core";
import type { EChartsCoreOption, EChartsType } from "echarts/core";
import { useEffect, useRef } from "react";

/**
 * Colours told apart by people with the common colour-vision deficiencies (Okabe–Ito), darkened where needed to
 * stand out on white.
 */
export const chartColours = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#8C6D00",
];

/** No animation: figures fetched again every few seconds should change in place, not grow again from zero. */
const base = { color: chartColours, animation: false };

interface ChartProps {
  option: EChartsCoreOption;
  /** What the chart shows, read out instead of the drawing; the table beside it carries the figures. */
  label: string;
  height?: number;
}

/**
 * An ECharts chart, the library fetched on first use so that only the pages with charts load it. It follows its
 * box's size and is disposed of when the page leaves.
 */
export function Chart({ option, label, height = 320 }: ChartProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsType | null>(null);
  const optionRef = useRef(option);
  optionRef.current = option;
  // Figures fetched again every few seconds come as a new but often equal option: redrawn only when they differ.
  const drawn = useRef("");

  useEffect(() => {
    let isGone = false;
    let observer: ResizeObserver | undefined;
    void import("./echarts-setup.ts").then(({ echarts }) => {
      const box = boxRef.current;
      if (isGone || !box) return;
      const chart = echarts.init(box, undefined, { renderer: "svg" });
      chartRef.current = chart;
      chart.setOption({ ...base, ...optionRef.current });
      drawn.current = JSON.stringify(optionRef.current);
      observer = new ResizeObserver(() => chart.resize());
      observer.observe(box);
    });
    return () => {
      isGone = true;
      observer?.disconnect();
      chartRef.current?.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    const text = JSON.stringify(option);
    if (!chartRef.current || text === drawn.current) return;
    drawn.current = text;
    chartRef.current.setOption({ ...base, ...option }, { notMerge: true });
  });

  return <Box ref={boxRef} role="img" aria-label={label} h={height} w="100%" />;
}
