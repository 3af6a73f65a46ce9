import { AppError } from '../../common/errors/app-error';
import { returning } from '../../database/returning';

export const CALLBACK_STATUSES = ['pending', 'assigned', 'in_progress', 'completed', 'no_answer', 'cancelled'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];
/** Statuses a person still has to act on: they wait in the queue and count against the SLA. */
export const OPEN_CALLBACK_STATUSES = ['pending', 'assigned', 'in_progress'] as const satisfies readonly CallbackStatus[];
export const INITIAL_CALLBACK_STATUS: CallbackStatus = 'pending';

/**
 * The callback status machine: a request waits (`pending`), is given to an agent (`assigned`), who works
 * on it (`in_progress`) and ends it (`completed`, `no_answer`, `cancelled`). An agent may hand it back
 * (`unassign`), re-assign it, or retry after no answer (`reopen`). The statements that write
 * `callback_requests.status` are in this file only.
 */
export const CALLBACK_TRANSITIONS = {
  assign: { from: ['pending', 'assigned', 'in_progress', 'no_answer'], to: 'assigned' },
  unassign: { from: ['assigned'], to: 'pending' },
  start: { from: ['assigned'], to: 'in_progress' },
  complete: { from: ['assigned', 'in_progress'], to: 'completed' },
  no_answer: { from: ['assigned', 'in_progress'], to: 'no_answer' },
  cancel: { from: ['pending', 'assigned', 'in_progress', 'no_answer'], to: 'cancelled' },
  reopen: { from: ['no_answer'], to: 'pending' },
} as const satisfies Record<string, { from: readonly CallbackStatus[]; to: CallbackStatus }>;
export type CallbackEvent = keyof typeof CALLBACK_TRANSITIONS;

/** The event a `PUT /status` to `to` means (`pending` from no_answer reopens, from assigned unassigns). */
export function eventForCallbackStatus(from: CallbackStatus, to: CallbackStatus): CallbackEvent {
  const event = (Object.keys(CALLBACK_TRANSITIONS) as CallbackEvent[]).find(
    (e) => CALLBACK_TRANSITIONS[e].to === to && (CALLBACK_TRANSITIONS[e].from as readonly string[]).includes(from),
  );
  if (!event) throw new AppError('callback_invalid_transition', `A ${from} callback request cannot become ${to}`);
  return event;
}

/** Refuses `event` from `from` with the stable code. */
export function assertCallbackMove(from: CallbackStatus, event: CallbackEvent): void {
  if (!(CALLBACK_TRANSITIONS[event].from as readonly string[]).includes(from))
    throw new AppError('callback_invalid_transition', `A ${from} callback request cannot ${event.replace('_', ' ')}`);
}

type Queryable = Parameters<typeof returning>[0];

/**
 * Moves one request by `event`, the WHERE clause limited to the move's `from` states; `completed_at` is
 * set when it reaches an end. Answers whether it moved (a concurrent move may have won).
 */
export async function moveCallback(m: Queryable, id: string, event: CallbackEvent, resolution?: string | null): Promise<boolean> {
  const rule = CALLBACK_TRANSITIONS[event];
  const ended = !(OPEN_CALLBACK_STATUSES as readonly string[]).includes(rule.to);
  const rows = await returning(
    m,
    `UPDATE callback_requests
        SET status = $2, updated_at = clock_timestamp(),
            completed_at = CASE WHEN $3 THEN clock_timestamp() ELSE NULL END,
            resolution = CASE WHEN $3 THEN coalesce($4, resolution) ELSE NULL END
      WHERE id = $1 AND status = ANY($5::text[])
      RETURNING id`,
    [id, rule.to, ended, resolution ?? null, rule.from],
  );
  return rows.length > 0;
}
