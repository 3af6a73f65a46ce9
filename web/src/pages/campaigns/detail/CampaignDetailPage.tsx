import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../../api';
import { CampaignStatusBadge } from '../../../components/CampaignStatusBadge';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Loading } from '../../../components/Loading';
import { PageHeader } from '../../../components/PageHeader';
import { formatDateTime } from '../../../format';
import { useEventSource } from '../../../hooks/useEventSource';
import { CallSettingsCard } from '../CallSettingsCard';
import { TimingCard } from '../TimingCard';
import type { Campaign, CampaignStatus, ProgressSnapshot } from '../types';
import { CampaignActions } from './CampaignActions';
import { CampaignCounters } from './CampaignCounters';
import { PausedSendersBanner } from './PausedSendersBanner';
import { campaignKind, stepChannels } from './progress';
import { RecipientsTable } from './RecipientsTable';
import { StepBreakdown } from './StepBreakdown';
import { TimelineChart } from './TimelineChart';
import { EnrollmentLog, TriggerCard } from './TriggeredCampaign';
import { useSenderNames } from './useSenderNames';
import { hasVariants, VariantsCards } from './VariantsCard';
import { applyCallEvent, CallEvent, VoiceCalls } from './VoiceCalls';

const isTerminal = (s: CampaignStatus | undefined) => s === 'completed' || s === 'cancelled';
/** The chart and the per-step table are re-read at most this often while counters move (they scan the campaign's rows). */
const REPORT_REFRESH_MS = 5000;
/**
 * A campaign ends when every message has an outcome, and "sent" is one: delivery receipts still arrive
 * afterwards, when the event stream is over. The counters are re-read this often while messages wait for
 * their receipt, for this long after the end.
 */
const RECEIPTS_REFRESH_MS = 5000;
const RECEIPTS_WINDOW_MS = 15 * 60_000;
const awaitingReceipts = (c: Campaign | undefined) =>
  !!c && isTerminal(c.status) && c.counts.sent > 0 && !!c.completedAt && Date.now() - Date.parse(c.completedAt) < RECEIPTS_WINDOW_MS;

/**
 * One campaign: counters kept live by the server's event stream (written into the query cache, so
 * nothing polls while it is open), the chart, the per-step funnel, the recipients and the actions.
 */
export function CampaignDetailPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const senderName = useSenderNames();
  const [live, setLive] = useState(false);
  const [calls, setCalls] = useState<Record<string, CallEvent>>({});
  const lastReport = useRef(0);
  const campaign = useQuery({
    queryKey: ['campaign', id],
    queryFn: () => api<Campaign>('GET', `/campaigns/${id}`),
    refetchInterval: (q) => (awaitingReceipts(q.state.data) ? RECEIPTS_REFRESH_MS : false),
  });
  const c = campaign.data;
  // Receipts that moved the counters of an ended campaign move the chart and the recipients too.
  const endedCounts = c && isTerminal(c.status) ? JSON.stringify(c.counts) : null;
  const lastEndedCounts = useRef(endedCounts);
  useEffect(() => {
    if (lastEndedCounts.current && endedCounts && endedCounts !== lastEndedCounts.current) {
      void queryClient.invalidateQueries({ queryKey: ['campaign-timeline', id] });
      void queryClient.invalidateQueries({ queryKey: ['campaign-messages', id] });
      void queryClient.invalidateQueries({ queryKey: ['campaign-variants', id] });
    }
    lastEndedCounts.current = endedCounts;
  }, [endedCounts, id, queryClient]);

  useEventSource<ProgressSnapshot>(
    c && !isTerminal(c.status) ? `/api/v1/campaigns/${id}/events` : null,
    (snapshot) => {
      queryClient.setQueryData<Campaign>(['campaign', id], (old) => (old ? { ...old, ...snapshot } : old));
      setLive(!isTerminal(snapshot.status));
      const final = isTerminal(snapshot.status);
      if (final || Date.now() - lastReport.current > REPORT_REFRESH_MS) {
        lastReport.current = Date.now();
        void queryClient.invalidateQueries({ queryKey: ['campaign-timeline', id] });
        void queryClient.invalidateQueries({ queryKey: ['campaign-step-counts', id] });
        void queryClient.invalidateQueries({ queryKey: ['campaign-variants', id] });
      }
      // The end: completedAt and the recipients' final statuses.
      if (final) {
        void queryClient.invalidateQueries({ queryKey: ['campaign', id] });
        void queryClient.invalidateQueries({ queryKey: ['campaign-messages', id] });
      }
    },
    (snapshot) => isTerminal(snapshot.status),
    { call: (event) => setCalls((current) => applyCallEvent(current, event as CallEvent)) },
  );

  if (campaign.isPending) return <Loading what="the campaign" />;
  if (campaign.error || !c) return <ErrorBanner error={campaign.error} />;
  const placesCalls = c.steps.some((s) => s.channel === 'voice');
  return (
    <div className="page page-wide">
      <PageHeader
        title={c.name}
        back={
          <Link className="back-link" to="/campaigns">
            ← Campaigns
          </Link>
        }
        subtitle={
          <span data-testid="campaign-summary">
            <CampaignStatusBadge status={c.status} triggered={c.type === 'triggered'} /> {campaignKind(c)} · {stepChannels(c)} · from{' '}
            {senderName(c.sender)} · created {formatDateTime(c.createdAt)}
            {c.launchedAt && <> · launched {formatDateTime(c.launchedAt)}</>}
            {c.completedAt && <> · ended {formatDateTime(c.completedAt)}</>}
          </span>
        }
        actions={
          <>
            {c.status !== 'draft' && (
              <Link className="btn" to={`/campaigns/${id}/analytics`}>
                Analytics
              </Link>
            )}
            <CampaignActions campaign={c} />
          </>
        }
      />
      <PausedSendersBanner campaign={c} senderName={senderName} />
      {c.type === 'triggered' && <TriggerCard campaign={c} />}
      {c.type === 'triggered' && c.status !== 'draft' && <EnrollmentLog campaign={c} />}
      <CampaignCounters progress={c} live={live} enrolling={c.type === 'triggered'} />
      {c.status !== 'draft' && placesCalls && <VoiceCalls campaignId={id} live={live} calls={calls} />}
      <TimingCard settings={c.settings} channels={c.steps.map((s) => s.channel)} type={c.type} pace />
      {placesCalls && <CallSettingsCard settings={c.settings} />}
      {c.status !== 'draft' && <TimelineChart campaignId={id} />}
      {c.type !== 'blast' && c.status !== 'draft' && <StepBreakdown campaignId={id} />}
      {c.status !== 'draft' && hasVariants(c) && <VariantsCards campaign={c} />}
      {c.status !== 'draft' && <RecipientsTable campaignId={id} counts={c.counts} />}
    </div>
  );
}
