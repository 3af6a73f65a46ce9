import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api';
import { Column, DataTable } from '../../../components/DataTable';
import { formatNumber } from '../../../format';
import type { MessageStatus, StatusCounts, StepChannel } from '../types';
import { channelName, settled } from './progress';

interface StepCounts {
  stepId: string;
  position: number;
  channel: StepChannel;
  counts: StatusCounts;
}

const COLUMNS: MessageStatus[] = ['queued', 'sent', 'delivered', 'failed', 'unknown', 'skipped'];

/** A sequence's funnel: each step's messages by status. */
export function StepBreakdown({ campaignId }: { campaignId: string }) {
  const steps = useQuery({
    queryKey: ['campaign-step-counts', campaignId],
    queryFn: () => api<{ items: StepCounts[] }>('GET', `/campaigns/${campaignId}/step-counts`),
  });
  const columns: Column<StepCounts>[] = [
    { key: 'step', header: 'Step', cell: (s) => `${s.position + 1}. ${channelName(s.channel)}` },
    { key: 'total', header: 'Messages', align: 'end', cell: (s) => formatNumber(s.counts.total) },
    { key: 'done', header: 'With an outcome', align: 'end', cell: (s) => formatNumber(settled(s.counts)) },
    ...COLUMNS.map((status) => ({
      key: status,
      header: status === 'queued' ? 'Waiting' : status.charAt(0).toUpperCase() + status.slice(1),
      align: 'end' as const,
      secondary: status === 'queued' || status === 'unknown',
      cell: (s: StepCounts) => formatNumber(s.counts[status] + (status === 'queued' ? s.counts.leased + s.counts.sending : 0)),
    })),
  ];
  return (
    <section className="card" aria-labelledby="steps-heading">
      <h2 id="steps-heading">By step</h2>
      <DataTable
        caption="Messages per step and status"
        columns={columns}
        rows={steps.data?.items}
        rowKey={(s) => s.stepId}
        rowTestId="step-counts"
        isLoading={steps.isPending}
        error={steps.error}
      />
    </section>
  );
}
