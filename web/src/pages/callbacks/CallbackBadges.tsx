import { STATUS_LABELS, slaCountdown, type Callback, type CallbackCategory, isOpen } from './types';

const CATEGORY_TONE: Record<CallbackCategory, string> = { urgent: 'error', high: 'warn', normal: 'primary', low: 'muted' };

/** The category and score, as text and colour (never colour alone). */
export function PriorityBadge({ callback }: { callback: Callback }) {
  return (
    <span
      className={`badge badge-${CATEGORY_TONE[callback.category]}`}
      data-category={callback.category}
      title={callback.scoreReasons.join('\n')}
    >
      <span className="dot" aria-hidden="true" />
      {callback.category} · {callback.score}
    </span>
  );
}

export function CallbackStatusBadge({ status }: { status: Callback['status'] }) {
  const tone = status === 'completed' ? 'ok' : status === 'no_answer' ? 'warn' : status === 'cancelled' ? 'muted' : 'primary';
  return (
    <span className={`badge badge-${tone}`} data-status={status}>
      <span className="dot" aria-hidden="true" />
      {STATUS_LABELS[status]}
    </span>
  );
}

/** The SLA countdown while open (highlighted once overdue); how it ended against the SLA once closed. */
export function SlaCell({ callback, now }: { callback: Callback; now: number }) {
  if (!isOpen(callback.status))
    return <span className={`sla${callback.slaBreached ? ' sla-overdue' : ''}`}>{callback.slaBreached ? 'SLA missed' : 'within SLA'}</span>;
  const overdue = new Date(callback.dueAt).getTime() < now;
  return (
    <span className={`sla${overdue ? ' sla-overdue' : ''}`} data-overdue={overdue} title={new Date(callback.dueAt).toLocaleString()}>
      {slaCountdown(callback.dueAt, now)}
    </span>
  );
}
