import * as z from 'zod/mini';
import { ChannelSchema, IdSchema } from './channels';

export const TRIGGER_EVENT = 'campaign.run';

/**
 * What the backend's outbox posts to n8n's Campaign Trigger webhook (signed, see
 * docs/internal-api.md): one run of one shard of a campaign to lease for.
 */
export const TriggerPayloadSchema = z.object({
  event: z.literal(TRIGGER_EVENT),
  runId: IdSchema,
  campaignId: IdSchema,
  organizationId: IdSchema,
  shard: z.int().check(z.minimum(0)),
  shards: z.int().check(z.minimum(1)),
  /** The channel of the campaign's first step (a hint: each lease item names its own channel). */
  channel: ChannelSchema,
  triggeredAt: z.iso.datetime(),
});
export type TriggerPayload = z.infer<typeof TriggerPayloadSchema>;
