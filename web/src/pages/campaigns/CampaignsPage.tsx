import { Link, useSearchParams } from 'react-router';
import { Column, DataTable } from '../../components/DataTable';
import { CampaignStatusBadge, campaignStatusLabel } from '../../components/CampaignStatusBadge';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { ProgressBar } from '../../components/ProgressBar';
import { formatDateTime, formatNumber } from '../../format';
import { useCursorList } from '../../hooks/useCursorList';
import { campaignKind, progressTotal, settled, stepChannels } from './detail/progress';
import { useSenderNames } from './detail/useSenderNames';
import { Campaign, CAMPAIGN_STATUSES, CampaignStatus } from './types';

/** Every campaign of the organization, newest pages on demand, with where each one stands. */
export function CampaignsPage() {
  const [params, setParams] = useSearchParams();
  const status = (CAMPAIGN_STATUSES as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as CampaignStatus)
    : '';
  const list = useCursorList<Campaign>(['campaigns'], '/campaigns', { status }, 25);
  const senderName = useSenderNames();

  const columns: Column<Campaign>[] = [
    {
      key: 'name',
      header: 'Campaign',
      cell: (c) => (
        <div>
          <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
          <div className="meta">
            {c.type === 'sequence' ? `Sequence · ${c.steps.length} steps` : c.type === 'triggered' ? campaignKind(c) : 'Blast'} ·{' '}
            {stepChannels(c)} · {senderName(c.sender)}
          </div>
        </div>
      ),
    },
    { key: 'status', header: 'Status', cell: (c) => <CampaignStatusBadge status={c.status} triggered={c.type === 'triggered'} /> },
    {
      key: 'progress',
      header: 'Progress',
      cell: (c) =>
        c.type === 'triggered' ? (
          // Never completes: how many leads it has enrolled so far, and whether it still enrolls.
          <span className="meta" data-testid="enrolling">
            {c.status === 'active' ? 'Enrolling · ' : c.status === 'draft' ? 'Not launched · ' : ''}
            {formatNumber(c.audienceSize)} enrolled
          </span>
        ) : (
          <ProgressBar done={settled(c.counts)} total={progressTotal(c)} label={`Progress of ${c.name}`} />
        ),
    },
    { key: 'sent', header: 'Sent', align: 'end', cell: (c) => formatNumber(c.counts.sent + c.counts.delivered) },
    { key: 'delivered', header: 'Delivered', align: 'end', cell: (c) => formatNumber(c.counts.delivered) },
    { key: 'failed', header: 'Failed', align: 'end', secondary: true, cell: (c) => formatNumber(c.counts.failed) },
    { key: 'skipped', header: 'Skipped', align: 'end', secondary: true, cell: (c) => formatNumber(c.counts.skipped) },
    {
      key: 'dates',
      header: 'Created / launched',
      secondary: true,
      cell: (c) => (
        <div className="meta">
          {formatDateTime(c.createdAt)}
          <br />
          {c.launchedAt ? formatDateTime(c.launchedAt) : 'Not launched'}
        </div>
      ),
    },
  ];

  const newCampaign = (
    <Link className="btn btn-primary" to="/campaigns/new">
      New campaign
    </Link>
  );

  return (
    <div className="page page-wide">
      <PageHeader
        title="Campaigns"
        subtitle="Blasts, sequences and event-triggered campaigns, with how far each has got."
        actions={newCampaign}
      />
      <div className="toolbar">
        <Field label="Status">
          {(props) => (
            <select
              {...props}
              value={status}
              onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {}, { replace: true })}
            >
              <option value="">All statuses</option>
              {CAMPAIGN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {campaignStatusLabel(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <DataTable
        caption="Campaigns"
        columns={columns}
        rows={list.items}
        rowKey={(c) => c.id}
        rowTestId="campaign"
        isLoading={list.isPending}
        error={list.error}
        empty={
          status ? (
            <EmptyState title={`No ${campaignStatusLabel(status).toLowerCase()} campaign`}>
              Choose another status to see the others.
            </EmptyState>
          ) : (
            <EmptyState title="No campaign yet" action={newCampaign}>
              A campaign sends your templates to an audience of leads, in one blast, as a sequence of steps, or to each lead an event
              enrolls.
            </EmptyState>
          )
        }
        footer={
          list.hasNextPage && (
            <button type="button" className="btn" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )
        }
      />
    </div>
  );
}
