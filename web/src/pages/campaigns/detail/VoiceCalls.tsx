import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api';
import { formatDuration, formatNumber } from '../../../format';

/** GET /campaigns/{id}/stats (voice-stats.responses.ts). */
export interface VoiceStats {
  placed: number;
  inProgress: number;
  answered: number;
  busy: number;
  noAnswer: number;
  failed: number;
  canceled: number;
  voicemail: number;
  totalTalkSeconds: number;
  averageTalkSeconds: number;
  successRate: number;
  liveSlots: number;
  attemptsPerLead: { average: number; max: number; distribution: Record<string, number> };
  agentOutcomes: Record<string, number>;
}

/** One `event: call` of the campaign's stream. */
export interface CallEvent {
  messageId: string;
  leadId: string | null;
  callSid: string;
  status: string;
  durationSeconds?: number;
  answeredBy?: string;
  at: string;
}

const ENDED = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
const STATUS_LABELS: Record<string, string> = { ringing: 'Ringing', answered: 'Answered', initiated: 'Dialling' };
const AGENT_LABELS: Record<string, string> = { interested: 'Interested', call_back: 'Call back', not_interested: 'Not interested' };
/** How often the statistics are re-read while calls may still change them. */
const STATS_REFRESH_MS = 3000;

/** Folds a call event into the calls in progress (by message: a retry is the same lead's next call). */
export function applyCallEvent(live: Record<string, CallEvent>, event: CallEvent): Record<string, CallEvent> {
  const next = { ...live };
  if (ENDED.has(event.status)) {
    if (next[event.messageId]?.callSid === event.callSid || !next[event.messageId]) delete next[event.messageId];
  } else next[event.messageId] = event;
  return next;
}

/** A voice campaign's calls: the ones in progress (live, from the event stream) and the statistics. */
export function VoiceCalls({ campaignId, live, calls }: { campaignId: string; live: boolean; calls: Record<string, CallEvent> }) {
  const stats = useQuery({
    queryKey: ['campaign-voice-stats', campaignId],
    queryFn: () => api<VoiceStats>('GET', `/campaigns/${campaignId}/stats`),
    refetchInterval: (q) => (live || (q.state.data?.inProgress ?? 0) > 0 ? STATS_REFRESH_MS : false),
  });
  const inProgress = Object.values(calls).sort((a, b) => a.at.localeCompare(b.at));
  const s = stats.data;
  const figures: Array<[string, string, string]> = s
    ? [
        ['placed', 'Calls placed', formatNumber(s.placed)],
        ['answered', 'Answered', formatNumber(s.answered)],
        ['busy', 'Busy', formatNumber(s.busy)],
        ['no-answer', 'No answer', formatNumber(s.noAnswer)],
        ['failed', 'Failed', formatNumber(s.failed)],
        ['voicemail', 'Voicemail', formatNumber(s.voicemail)],
        ['success', 'Success rate', `${Math.round(s.successRate * 1000) / 10}%`],
        ['talk-total', 'Talk time', formatDuration(s.totalTalkSeconds)],
        ['talk-average', 'Average call', formatDuration(s.averageTalkSeconds)],
        ['attempts', 'Calls per lead', String(s.attemptsPerLead.average)],
      ]
    : [];
  return (
    <section className="card" aria-labelledby="voice-heading">
      <div className="section-head">
        <h2 id="voice-heading">Calls</h2>
        <span className="muted" role="status">
          {s ? `${formatNumber(s.liveSlots)} in progress` : ''}
        </span>
      </div>
      {stats.error && <p className="error">The call statistics could not be read.</p>}
      <dl className="stats" aria-label="Call statistics" data-testid="voice-stats">
        {figures.map(([key, label, value]) => (
          <div className="stat" key={key} data-stat={key}>
            <dt className="stat-label">{label}</dt>
            <dd className="stat-value">{value}</dd>
          </div>
        ))}
      </dl>
      {s && Object.keys(s.agentOutcomes).length > 0 && (
        <p className="muted" data-testid="agent-outcomes">
          AI agent:{' '}
          {Object.entries(s.agentOutcomes)
            .map(([k, n]) => `${AGENT_LABELS[k] ?? k} ${formatNumber(n)}`)
            .join(' · ')}
        </p>
      )}
      <h3>Calls in progress</h3>
      {inProgress.length === 0 ? (
        <p className="muted">{live ? 'No call right now.' : 'None.'}</p>
      ) : (
        <table className="table" data-testid="calls-in-progress">
          <thead>
            <tr>
              <th>Call</th>
              <th>Status</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {inProgress.map((c) => (
              <tr key={c.messageId} data-status={c.status}>
                <td>{c.callSid}</td>
                <td>{STATUS_LABELS[c.status] ?? c.status}</td>
                <td>{new Date(c.at).toLocaleTimeString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
