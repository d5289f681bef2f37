import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** A time series drawn with uPlot: `times` in seconds, one value per time. */
export function UsageChart(props: { times: number[]; values: number[]; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth || 640),
        height: 260,
        scales: { x: { time: true } },
        series: [
          {},
          { label: props.label, stroke: "#2563eb", fill: "rgba(37,99,235,0.12)", width: 2 },
        ],
        axes: [{}, { label: "units" }],
      },
      [props.times, props.values],
      element,
    );
    return () => plot.destroy();
  }, [props.times.join(","), props.values.join(","), props.label]);
  return <div class="chart" ref={host} data-chart={props.label} />;
}
