import { AppError } from '../../common/errors/app-error';

export const CONVERSATION_STATUSES = ['open', 'waiting', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/**
 * The conversation status machine: `open` needs an answer from us, `waiting` waits for the lead,
 * `closed` is done. An inbound message reopens any of them; our answer makes it wait; a person may
 * set any status by hand. The statements that write `conversations.status` are in this file only.
 */
export const CONVERSATION_TRANSITIONS = {
  /** The lead wrote (a human reply): it needs an answer again. */
  inbound: { from: ['open', 'waiting', 'closed'], to: 'open' },
  /** We answered from the inbox. */
  answered: { from: ['open'], to: 'waiting' },
  close: { from: ['open', 'waiting'], to: 'closed' },
  reopen: { from: ['waiting', 'closed'], to: 'open' },
  wait: { from: ['open', 'closed'], to: 'waiting' },
} as const satisfies Record<string, { from: readonly ConversationStatus[]; to: ConversationStatus }>;
export type ConversationEvent = keyof typeof CONVERSATION_TRANSITIONS;

/** The event a person's PATCH to `status` means; setting the status it already has is no move. */
export function eventForStatus(from: ConversationStatus, to: ConversationStatus): ConversationEvent | null {
  if (from === to) return null;
  const event = (Object.keys(CONVERSATION_TRANSITIONS) as ConversationEvent[]).find(
    (e) => e !== 'inbound' && e !== 'answered' && CONVERSATION_TRANSITIONS[e].to === to,
  )!;
  if (!(CONVERSATION_TRANSITIONS[event].from as readonly string[]).includes(from))
    throw new AppError('conversation_invalid_transition', `A ${from} conversation cannot become ${to}`);
  return event;
}

type Queryable = { query: (sql: string, params?: unknown[]) => Promise<unknown> };
const sqlList = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(', ');

/** Moves conversations by `event`, each WHERE clause limited to the move's `from` states. */
export async function moveConversations(m: Queryable, ids: string[], event: ConversationEvent): Promise<void> {
  if (ids.length === 0) return;
  const rule = CONVERSATION_TRANSITIONS[event];
  await m.query(`UPDATE conversations SET status = '${rule.to}' WHERE id = ANY($1::uuid[]) AND status IN (${sqlList(rule.from)})`, [ids]);
}
