import { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { returning } from '../../database/returning';
import { OPEN_INDEXED_SQL, OPEN_MESSAGE_STATUSES } from '../messages/message-status';
import { CAMPAIGN_STATUSES, CampaignStatus } from './campaign.entity';

/**
 * The campaign status machine: its transition table, and the only statements that write
 * `campaigns.status`. Every statement's WHERE clause is built from the `from` states of its move, so
 * an illegal move changes no row; callers learn it from the answer (rows moved), never by re-reading.
 *
 *   draft ──launch──▶ active        draft ──schedule──▶ scheduled (launched with a future startAt)
 *   scheduled ──start──▶ active     (the scheduler, once startAt has come)
 *   active|scheduled ──pause──▶ paused      active ──suspend──▶ paused (the system: sender unusable)
 *   paused ──resume──▶ active       paused ──reschedule──▶ scheduled (resumed before its startAt)
 *   draft|scheduled|active|paused ──cancel──▶ cancelled
 *   active ──complete──▶ completed  (every message has its outcome)
 *   completed ──reopen──▶ active     (failed messages were queued again by a retry; an unanswered call is placed again)
 */
export const CAMPAIGN_TRANSITIONS = {
  launch: { from: ['draft'], to: 'active' },
  schedule: { from: ['draft'], to: 'scheduled' },
  start: { from: ['scheduled'], to: 'active' },
  pause: { from: ['active', 'scheduled'], to: 'paused' },
  suspend: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  reschedule: { from: ['paused'], to: 'scheduled' },
  cancel: { from: ['draft', 'scheduled', 'active', 'paused'], to: 'cancelled' },
  complete: { from: ['active'], to: 'completed' },
  reopen: { from: ['completed'], to: 'active' },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus }>;

export type CampaignEvent = keyof typeof CAMPAIGN_TRANSITIONS;
export const CAMPAIGN_EVENTS = Object.keys(CAMPAIGN_TRANSITIONS) as CampaignEvent[];

/** What the API offers; each resolves to one event of the table (launch and resume depend on startAt). */
export const CAMPAIGN_ACTIONS = ['launch', 'pause', 'resume', 'cancel'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];
/** The events an API action may resolve to; the others (start, suspend, complete, reopen) are the system's. */
export type ApiCampaignEvent = Exclude<CampaignEvent, 'start' | 'suspend' | 'complete' | 'reopen'>;

/** The state a campaign is created in: not a move, so not in the table. */
export const INITIAL_CAMPAIGN_STATUS = 'draft' satisfies CampaignStatus;

/** Where `event` takes a campaign in status `from`, or undefined when the move is illegal. */
export function campaignTarget(from: CampaignStatus, event: CampaignEvent): CampaignStatus | undefined {
  const rule = CAMPAIGN_TRANSITIONS[event];
  return (rule.from as readonly CampaignStatus[]).includes(from) ? rule.to : undefined;
}

/**
 * The event an API action means for this campaign now: launching or resuming before `startAt` schedules
 * instead. Undefined when the action is not allowed from `from` (the API answers 409).
 */
export function eventForAction(
  from: CampaignStatus,
  action: CampaignAction,
  startAt: string | undefined,
  now = Date.now(),
): ApiCampaignEvent | undefined {
  const later = startAt !== undefined && Date.parse(startAt) > now;
  const event: ApiCampaignEvent =
    action === 'launch' ? (later ? 'schedule' : 'launch') : action === 'resume' ? (later ? 'reschedule' : 'resume') : action;
  return campaignTarget(from, event) === undefined ? undefined : event;
}

/** The event for an API action, or 409 `campaign_invalid_transition` when the table does not allow it. */
export function eventOrConflict(from: CampaignStatus, action: CampaignAction, startAt: string | undefined): ApiCampaignEvent {
  const event = eventForAction(from, action, startAt);
  if (!event) throw invalidTransition(from, action);
  return event;
}

export function invalidTransition(from: CampaignStatus, action: CampaignAction): AppError {
  return new AppError('campaign_invalid_transition', `Cannot ${action} a ${from} campaign`, { from, action });
}

/** `'a', 'b'` for a WHERE clause; the statuses are compile-time constants of this file, never input. */
function sqlList(statuses: readonly string[]): string {
  for (const s of statuses) if (!(CAMPAIGN_STATUSES as readonly string[]).includes(s)) throw new Error(`not a campaign status: ${s}`);
  return statuses.map((s) => `'${s}'`).join(', ');
}
const from = (event: CampaignEvent) => sqlList(CAMPAIGN_TRANSITIONS[event].from);
const to = (event: CampaignEvent) => sqlList([CAMPAIGN_TRANSITIONS[event].to]);

type Queryable = Pick<EntityManager, 'query'>;

/**
 * An API move (launch, schedule, pause, resume, reschedule, cancel) of one campaign the caller has
 * locked. Clears the system's reason; cancelling stamps `completed_at`, launching `launched_at`.
 * Answers whether the campaign moved.
 */
export async function moveCampaign(m: Queryable, id: string, event: ApiCampaignEvent): Promise<{ moved: boolean; launchedAt?: Date }> {
  const stamp = event === 'launch' || event === 'schedule' ? ', launched_at = now()' : event === 'cancel' ? ', completed_at = now()' : '';
  const rows = await returning<{ launched_at: Date | null }>(
    m,
    `UPDATE campaigns SET status = ${to(event)}, status_reason = NULL, updated_at = now()${stamp}
      WHERE id = $1 AND status IN (${from(event)}) RETURNING launched_at`,
    [id],
  );
  return { moved: rows.length > 0, ...(rows[0]?.launched_at && { launchedAt: new Date(rows[0].launched_at) }) };
}

/** The system pauses one campaign whose sender cannot send (token revoked, channel gone), saying why. */
export async function suspendCampaign(m: Queryable, campaignId: string, reason: string): Promise<boolean> {
  const rows = await returning(
    m,
    `UPDATE campaigns SET status = ${to('suspend')}, status_reason = $2, updated_at = clock_timestamp() WHERE id = $1 AND status IN (${from('suspend')}) RETURNING id`,
    [campaignId, reason],
  );
  return rows.length > 0;
}

/** The mailbox needs re-authorization: every campaign sending from it (campaign or step sender) is suspended. */
export async function suspendForMailbox(m: Queryable, organizationId: string, emailAccountId: string, reason: string): Promise<number> {
  const rows = await returning(
    m,
    `UPDATE campaigns SET status = ${to('suspend')}, status_reason = $3, updated_at = clock_timestamp()
      WHERE organization_id = $1 AND status IN (${from('suspend')})
        AND (sender_email_account_id = $2 OR id IN (SELECT campaign_id FROM campaign_steps WHERE sender_email_account_id = $2))
      RETURNING id`,
    [organizationId, emailAccountId, reason],
  );
  return rows.length;
}

/** A completed campaign has work again (a retry queued failed messages): active, its completion undone. */
export async function reopenCampaign(m: Queryable, campaignId: string): Promise<boolean> {
  const rows = await returning(
    m,
    `UPDATE campaigns SET status = ${to('reopen')}, completed_at = NULL, updated_at = clock_timestamp() WHERE id = $1 AND status IN (${from('reopen')}) RETURNING id`,
    [campaignId],
  );
  return rows.length > 0;
}

/** Scheduled campaigns whose start time has come become active. */
export async function startDueCampaigns(m: Queryable): Promise<void> {
  await m.query(
    `UPDATE campaigns SET status = ${to('start')}, updated_at = clock_timestamp()
      WHERE status IN (${from('start')}) AND (settings ->> 'startAt')::timestamptz <= clock_timestamp()`,
  );
}

/**
 * A fully materialized campaign whose every message has its outcome is completed (a triggered one never is): one campaign, or
 * (no id) every active campaign. Answers how many completed.
 */
export async function completeIfDone(m: Queryable, campaignId?: string): Promise<number> {
  const done = await returning(
    m,
    `UPDATE campaigns c SET status = ${to('complete')}, completed_at = clock_timestamp(), updated_at = clock_timestamp()
      WHERE ${campaignId ? 'c.id = $1 AND ' : ''}c.status IN (${from('complete')}) AND c.materialized_at IS NOT NULL
        -- Evergreen: the next event may enroll someone; it ends when a person pauses or cancels it.
        AND c.type <> 'triggered'
        -- The live counters first: while they count open messages the index is not read. Each leased or settled
        -- message leaves a dead entry in it until VACUUM, so that probe walked the whole campaign's entries; at
        -- 1,000,000 recipients it ran at every report and tick, 55 ms each. The probe stays the final word.
        AND CASE WHEN (SELECT coalesce(sum(delta), 0) FROM campaign_status_counts
                        WHERE campaign_id = c.id AND status IN (${OPEN_MESSAGE_STATUSES.map((s) => `'${s}'`).join(', ')})) = 0
                 THEN NOT EXISTS (SELECT 1 FROM messages WHERE campaign_id = ${campaignId ? '$1' : 'c.id'} AND ${OPEN_INDEXED_SQL})
                 ELSE false END
        -- A call still live may end unanswered and be placed again (voice retries): done once it ended.
        AND NOT EXISTS (SELECT 1 FROM call_slots WHERE slot_key = 'calls:campaign:' || c.id AND expires_at > clock_timestamp())
      RETURNING c.id`,
    campaignId ? [campaignId] : [],
  );
  return done.length;
}
