// One chart, drawn by Apache ECharts: only the chart kinds and parts used are bundled, and only
// pages that draw a chart load this module. The canvas is an image to assistive technology, named
// by `label` (what the chart says in words). `dark` draws it for a dark page (the leadership
// screen); `onClick` hears a click on a data item (a bar, a district), for drilling down.
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ECElementEvent, type EChartsCoreOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = EChartsCoreOption;

export type ChartClick = ECElementEvent;

export function Chart({ option, height, label, dark = false, onClick }:
  { option: ChartOption; height: number; label: string; dark?: boolean; onClick?: (event: ChartClick) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const clicked = useRef(onClick);
  clicked.current = onClick;
  useEffect(() => {
    const element = box.current!;
    const drawn = init(element, dark ? 'dark' : undefined);
    drawn.on('click', (event) => clicked.current?.(event as ChartClick));
    chart.current = drawn;
    const resized = new ResizeObserver(() => drawn.resize());
    resized.observe(element);
    return () => {
      resized.disconnect();
      drawn.dispose();
      chart.current = null;
    };
  }, [dark]);
  useEffect(() => {
    chart.current?.setOption(dark ? { backgroundColor: 'transparent', ...option } : option, { notMerge: true });
  }, [option, dark]);
  return <div ref={box} role="img" aria-label={label} style={{ height, width: '100%' }} />;
}
