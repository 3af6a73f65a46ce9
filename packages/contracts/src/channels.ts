import * as z from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini ships no messages ("Invalid input"); the error answers name what was expected.
z.config(en());

import { CHANNELS } from './channel-names';

export { CHANNELS };
export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;

/** How the lease's `sender` is reached: a Gmail account, or a channel connection of one of these providers. */
export const SENDER_KINDS = ['gmail', 'mailgun', 'twilio', 'whatsapp'] as const;
export const SenderKindSchema = z.enum(SENDER_KINDS);
export type SenderKind = z.infer<typeof SenderKindSchema>;

/** UUIDs as Postgres writes them (any version): checked before they reach a `uuid` column. */
export const IdSchema = z.guid();

/** A JSON object whose keys the contract does not fix (lead attributes, sender config, run counts). */
export const JsonObjectSchema = z.record(z.string(), z.unknown());
