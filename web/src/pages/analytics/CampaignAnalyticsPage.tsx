import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, downloadCsv } from '../../api';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatNumber } from '../../format';
import type { Campaign } from '../campaigns/types';
import { channelName } from '../campaigns/detail/progress';
import { breakdownColumns, CSV_COUNT_KEYS } from './breakdown-columns';
import { EngagementChart } from './EngagementChart';
import { EngagementSummary } from './EngagementSummary';
import type { Bucket, CampaignAnalytics } from './types';

type StepRow = CampaignAnalytics['steps'][number];
type ChannelRow = CampaignAnalytics['channels'][number];
type TemplateRow = CampaignAnalytics['templates'][number];

/** A campaign's engagement: funnel, rates, the time series, and the same counts per step, channel and template. */
export function CampaignAnalyticsPage() {
  const { id = '' } = useParams();
  const [bucket, setBucket] = useState<Bucket>('day');
  const campaign = useQuery({ queryKey: ['campaign', id], queryFn: () => api<Campaign>('GET', `/campaigns/${id}`) });
  const report = useQuery({
    queryKey: ['campaign-analytics', id, bucket],
    queryFn: () => api<CampaignAnalytics>('GET', `/campaigns/${id}/analytics?bucket=${bucket}`),
  });
  if (campaign.error || report.error) return <ErrorBanner error={campaign.error ?? report.error} />;
  if (!campaign.data || !report.data) return <Loading what="the analytics" />;
  const r = report.data;
  const name = campaign.data.name;
  return (
    <div className="page page-wide">
      <PageHeader
        title={`${name}: analytics`}
        back={
          <Link className="back-link" to={`/campaigns/${id}`}>
            ← {name}
          </Link>
        }
        subtitle={`${formatNumber(r.audienceSize)} leads in the audience`}
        actions={
          <button type="button" className="btn" onClick={() => exportCsv(name, r)}>
            Export CSV
          </button>
        }
      />
      <EngagementSummary totals={r.totals} rates={r.rates} revenue={r.revenue} />
      <section className="card" aria-labelledby="series-heading">
        <div className="section-head">
          <h2 id="series-heading">Over time</h2>
          <div className="tabs" role="tablist" aria-label="Time unit">
            {(['hour', 'day'] as const).map((b) => (
              <button key={b} type="button" role="tab" aria-selected={bucket === b} onClick={() => setBucket(b)}>
                Per {b}
              </button>
            ))}
          </div>
        </div>
        <EngagementChart series={r.series} bucket={r.bucket} />
      </section>
      <section className="card" aria-labelledby="by-step-heading">
        <h2 id="by-step-heading">By step</h2>
        <DataTable<StepRow>
          caption="Engagement per step"
          columns={[
            { key: 'step', header: 'Step', cell: (s) => `${s.position + 1}. ${channelName(s.channel as never)}` },
            ...breakdownColumns<StepRow>(),
          ]}
          rows={r.steps}
          rowKey={(s) => s.stepId}
          rowTestId="analytics-step"
        />
      </section>
      <section className="card" aria-labelledby="by-channel-heading">
        <h2 id="by-channel-heading">By channel</h2>
        <DataTable<ChannelRow>
          caption="Engagement per channel"
          columns={[{ key: 'channel', header: 'Channel', cell: (c) => channelName(c.channel as never) }, ...breakdownColumns<ChannelRow>()]}
          rows={r.channels}
          rowKey={(c) => c.channel}
          rowTestId="analytics-channel"
          empty={<p className="muted">Nothing sent yet.</p>}
        />
      </section>
      <section className="card" aria-labelledby="by-template-heading">
        <h2 id="by-template-heading">By template</h2>
        <DataTable<TemplateRow>
          caption="Engagement per template"
          columns={[
            { key: 'template', header: 'Template', cell: (t) => t.templateName ?? 'Deleted template' },
            ...breakdownColumns<TemplateRow>(),
          ]}
          rows={r.templates}
          rowKey={(t) => t.templateId ?? 'none'}
          rowTestId="analytics-template"
        />
      </section>
      {Object.keys(r.skippedByReason).length > 0 && (
        <section className="card" aria-labelledby="skipped-heading">
          <h2 id="skipped-heading">Skipped, by reason</h2>
          <DataTable<[string, number]>
            caption="Skipped messages per reason"
            columns={SKIPPED_COLUMNS}
            rows={Object.entries(r.skippedByReason)}
            rowKey={([reason]) => reason}
          />
        </section>
      )}
    </div>
  );
}

const SKIPPED_COLUMNS: Column<[string, number]>[] = [
  { key: 'reason', header: 'Reason', cell: ([reason]) => reason.replace(/_/g, ' ') },
  { key: 'count', header: 'Messages', align: 'end', cell: ([, n]) => formatNumber(n) },
];

/** One row per total, step, channel, template and time bucket, every count and rate: a spreadsheet's input. */
function exportCsv(name: string, r: CampaignAnalytics) {
  const header = ['scope', 'key', ...CSV_COUNT_KEYS, 'open_rate', 'click_rate', 'reply_rate', 'bounce_rate', 'conversion_rate'];
  const rates = (x: { rates: CampaignAnalytics['rates'] }) => [
    x.rates.open,
    x.rates.click,
    x.rates.reply,
    x.rates.bounce,
    x.rates.conversion,
  ];
  const counts = (x: CampaignAnalytics['totals']) => CSV_COUNT_KEYS.map((k) => x[k]);
  const rows = [
    ['total', '', ...counts(r.totals), ...rates(r)],
    ...r.steps.map((s) => ['step', String(s.position + 1), ...counts(s), ...rates(s)]),
    ...r.channels.map((c) => ['channel', c.channel, ...counts(c), ...rates(c)]),
    ...r.templates.map((t) => ['template', t.templateName ?? '', ...counts(t), ...rates(t)]),
    ...r.series.map((p) => [r.bucket, p.at, ...counts(p)]),
  ];
  downloadCsv(`${name.replace(/[^\w-]+/g, '-')}-analytics.csv`, header, rows);
}
