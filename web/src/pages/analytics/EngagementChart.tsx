import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Bucket, SeriesPoint } from './types';

const SERIES = [
  { key: 'delivered', label: 'Delivered', stroke: '#059669' },
  { key: 'opened', label: 'Opened', stroke: '#4f46e5' },
  { key: 'clicked', label: 'Clicked', stroke: '#d97706' },
  { key: 'replied', label: 'Replied', stroke: '#0891b2' },
  { key: 'conversions', label: 'Conversions', stroke: '#db2777' },
] as const;

const BUCKET_MS: Record<Bucket, number> = { hour: 3_600_000, day: 86_400_000 };

/**
 * Engagement per hour or day, drawn with uPlot like the campaign timeline. The API leaves out buckets with no
 * count: they are filled with zeros here so a quiet day reads as zero, not as a line across it.
 */
export function EngagementChart({ series, bucket, from, to }: { series: SeriesPoint[]; bucket: Bucket; from?: string; to?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = dense(series, bucket, from, to);
  useEffect(() => {
    const el = box.current!;
    const width = () => Math.max(280, el.clientWidth);
    plot.current = new uPlot(
      {
        width: width(),
        height: 240,
        series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { size: 6 } }))],
        axes: [{}, { size: 56 }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: width(), height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Created once per mounted chart; new data goes through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => plot.current?.setData(data));
  return <div ref={box} className="timeline-chart" role="img" aria-label="Messages delivered, opened, clicked and replied over time" />;
}

function dense(series: SeriesPoint[], bucket: Bucket, from?: string, to?: string): uPlot.AlignedData {
  const step = BUCKET_MS[bucket];
  const floor = (t: number) => Math.floor(t / step) * step;
  const byTime = new Map(series.map((p) => [Date.parse(p.at), p]));
  const times = [...byTime.keys()];
  const start = from ? floor(Date.parse(from)) : times.length ? Math.min(...times) - step : floor(Date.now()) - step;
  const end = to ? floor(Date.parse(to) - 1) : times.length ? Math.max(...times) + step : floor(Date.now());
  const xs: number[] = [];
  for (let t = start; t <= end && xs.length < 2000; t += step) xs.push(t);
  return [xs.map((t) => t / 1000), ...SERIES.map((s) => xs.map((t) => byTime.get(t)?.[s.key] ?? 0))];
}
