import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../../api';
import { DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { channelName } from '../campaigns/detail/progress';
import { breakdownColumns } from './breakdown-columns';
import { EngagementChart } from './EngagementChart';
import { EngagementSummary } from './EngagementSummary';
import type { OrganizationAnalytics } from './types';

type CampaignRow = OrganizationAnalytics['campaigns'][number];
type ChannelRow = OrganizationAnalytics['channels'][number];
const DAY_MS = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The organization over a date range (by default the last 30 days): every campaign and channel together. */
export function DashboardPage() {
  const [range, setRange] = useState(() => ({ from: isoDay(Date.now() - 29 * DAY_MS), to: isoDay(Date.now()) }));
  // The API's `to` is exclusive: the picker's last day is included.
  const to = range.to ? isoDay(Date.parse(range.to) + DAY_MS) : undefined;
  const report = useQuery({
    queryKey: ['analytics', range.from, range.to],
    queryFn: () => api<OrganizationAnalytics>('GET', withQuery('/analytics', { from: range.from, to, bucket: 'day' })),
  });
  return (
    <div className="page page-wide">
      <PageHeader title="Dashboard" subtitle="Engagement across campaigns and channels" />
      <form className="card filters" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
        <label>
          From{' '}
          <input type="date" value={range.from} max={range.to} required onChange={(e) => setRange({ ...range, from: e.target.value })} />
        </label>{' '}
        <label>
          To <input type="date" value={range.to} min={range.from} required onChange={(e) => setRange({ ...range, to: e.target.value })} />
        </label>
      </form>
      {report.error && <ErrorBanner error={report.error} />}
      {report.isPending && <Loading what="the dashboard" />}
      {report.data && (
        <>
          <EngagementSummary totals={report.data.totals} rates={report.data.rates} revenue={report.data.revenue} />
          <section className="card" aria-labelledby="dash-series-heading">
            <h2 id="dash-series-heading">Per day</h2>
            <EngagementChart series={report.data.series} bucket="day" from={report.data.from} to={report.data.to} />
          </section>
          <section className="card" aria-labelledby="dash-campaigns-heading">
            <h2 id="dash-campaigns-heading">By campaign</h2>
            <DataTable<CampaignRow>
              caption="Engagement per campaign"
              columns={[
                { key: 'name', header: 'Campaign', cell: (c) => <Link to={`/campaigns/${c.campaignId}/analytics`}>{c.name}</Link> },
                ...breakdownColumns<CampaignRow>(),
              ]}
              rows={report.data.campaigns}
              rowKey={(c) => c.campaignId}
              rowTestId="dashboard-campaign"
              empty={<EmptyState title="Nothing sent in this range">Pick another range, or launch a campaign.</EmptyState>}
            />
          </section>
          <section className="card" aria-labelledby="dash-channels-heading">
            <h2 id="dash-channels-heading">By channel</h2>
            <DataTable<ChannelRow>
              caption="Engagement per channel"
              columns={[
                { key: 'channel', header: 'Channel', cell: (c) => channelName(c.channel as never) },
                ...breakdownColumns<ChannelRow>(),
              ]}
              rows={report.data.channels}
              rowKey={(c) => c.channel}
              rowTestId="dashboard-channel"
              empty={<p className="muted">No channel sent anything in this range.</p>}
            />
          </section>
        </>
      )}
    </div>
  );
}
