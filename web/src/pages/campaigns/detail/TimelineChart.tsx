import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api } from '../../../api';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Loading } from '../../../components/Loading';
import { formatNumber } from '../../../format';

type Bucket = 'minute' | 'hour' | 'day';
interface Timeline {
  bucket: Bucket;
  from: string;
  to: string;
  truncated: boolean;
  points: Array<{ t: string; sent: number; delivered: number; failed: number }>;
}

const SERIES = [
  { key: 'sent', label: 'Sent', stroke: '#4f46e5' },
  { key: 'delivered', label: 'Delivered', stroke: '#059669' },
  { key: 'failed', label: 'Failed', stroke: '#dc2626' },
] as const;

/** Sends and outcomes per minute / hour / day, drawn with uPlot (canvas, ~20 KB gzip); the totals are also given as text. */
export function TimelineChart({ campaignId }: { campaignId: string }) {
  const [bucket, setBucket] = useState<Bucket>('minute');
  const headingId = useId();
  const timeline = useQuery({
    queryKey: ['campaign-timeline', campaignId, bucket],
    queryFn: () => api<Timeline>('GET', `/campaigns/${campaignId}/timeline?bucket=${bucket}`),
  });
  const totals = timeline.data?.points.reduce(
    (a, p) => ({ sent: a.sent + p.sent, delivered: a.delivered + p.delivered, failed: a.failed + p.failed }),
    { sent: 0, delivered: 0, failed: 0 },
  );
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="section-head">
        <h2 id={headingId}>Over time</h2>
        <div className="tabs" role="tablist" aria-label="Time unit">
          {(['minute', 'hour', 'day'] as const).map((b) => (
            <button key={b} type="button" role="tab" aria-selected={bucket === b} onClick={() => setBucket(b)}>
              Per {b}
            </button>
          ))}
        </div>
      </div>
      {timeline.error && <ErrorBanner error={timeline.error} />}
      {timeline.isPending && <Loading what="the timeline" />}
      {timeline.data && totals && (
        <>
          <Plot timeline={timeline.data} />
          <p className="muted" data-testid="timeline-totals">
            In this period: {formatNumber(totals.sent)} sent, {formatNumber(totals.delivered)} delivered, {formatNumber(totals.failed)}{' '}
            failed
            {timeline.data.truncated && ' (the latest 1,440 periods; choose a longer unit to see all)'}.
          </p>
        </>
      )}
    </section>
  );
}

const BUCKET_SECONDS: Record<Bucket, number> = { minute: 60, hour: 3600, day: 86400 };

function Plot({ timeline }: { timeline: Timeline }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // A campaign done within one bucket is a single point, which uPlot stretches over years: the empty buckets
  // on either side (nothing was sent before launch or after the end) give the axis its real scale.
  const step = BUCKET_SECONDS[timeline.bucket] * 1000;
  const points =
    timeline.points.length === 1
      ? [-1, 0, 1].map((k) => {
          const only = timeline.points[0]!;
          const t = new Date(Date.parse(only.t) + k * step).toISOString();
          return k === 0 ? only : { t, sent: 0, delivered: 0, failed: 0 };
        })
      : timeline.points;
  const data: uPlot.AlignedData = [points.map((p) => Date.parse(p.t) / 1000), ...SERIES.map((s) => points.map((p) => p[s.key]))];
  useEffect(() => {
    const el = box.current!;
    const width = () => Math.max(280, el.clientWidth);
    const opts: uPlot.Options = {
      width: width(),
      height: 220,
      // uPlot's default point rule: dots while buckets are sparse (a campaign done within one minute is one
      // bucket, which a line alone cannot draw), none once the line is dense enough to read.
      series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { size: 7 } }))],
      axes: [{}, { size: 56 }],
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    };
    plot.current = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: width(), height: 220 }));
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
  return <div ref={box} className="timeline-chart" role="img" aria-label="Messages sent, delivered and failed over time" />;
}
