import { ProgressBar } from '../../../components/ProgressBar';
import { formatNumber } from '../../../format';
import { messageStatusLabel } from '../../../components/CampaignStatusBadge';
import { MESSAGE_STATUSES, ProgressSnapshot } from '../types';
import { progressTotal, settled } from './progress';

/**
 * The campaign's messages by status, live, and how much of the audience has an outcome. A triggered
 * campaign (`enrolling`) never completes: its messages by status, without a bar that would never fill.
 */
export function CampaignCounters({
  progress,
  live,
  enrolling = false,
}: {
  progress: ProgressSnapshot;
  live: boolean;
  enrolling?: boolean;
}) {
  const { counts } = progress;
  return (
    <section className="card" aria-labelledby="counters-heading">
      <div className="section-head">
        <h2 id="counters-heading">{enrolling ? 'Messages' : 'Progress'}</h2>
        <span className="muted" role="status">
          {live ? 'Live' : progress.materialized || enrolling ? '' : 'Enrolling the audience…'}
        </span>
      </div>
      {!enrolling && <ProgressBar done={settled(counts)} total={progressTotal(progress)} label="Messages with an outcome" />}
      <dl className="stats" aria-label="Messages by status" data-testid="counters">
        <div className="stat" data-status="total">
          <dt className="stat-label">Total</dt>
          <dd className="stat-value">{formatNumber(counts.total)}</dd>
        </div>
        {MESSAGE_STATUSES.map((s) => (
          <div className="stat" key={s} data-status={s}>
            <dt className="stat-label">{messageStatusLabel(s)}</dt>
            <dd className="stat-value">{formatNumber(counts[s])}</dd>
          </div>
        ))}
      </dl>
      {progress.statusReason && <p className="muted">Reason: {progress.statusReason}</p>}
    </section>
  );
}
