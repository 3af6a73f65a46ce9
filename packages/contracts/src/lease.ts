import { z } from "zod";
import { ChannelSchema, IdSchema, JsonObjectSchema, SenderKindSchema } from "./channels";
import { MessageTemplateSchema } from "./templates";

/** Most messages one lease hands out, whatever `max` asks. */
export const MAX_LEASE_BATCH = 1000;

/** `POST /internal/v1/runs/{runId}/lease` body: `max` is optional (default 500, capped by the campaign's batch size). */
export const LeaseRequestSchema = z.object({
  max: z.int().min(1).optional(),
});
export type LeaseRequest = z.infer<typeof LeaseRequestSchema>;

/** Slots reserved in the sender's (and campaign's) quota ledger: item i goes out at `startInMs + i * intervalMs`. */
export const GrantSchema = z.object({
  count: z.int().min(0),
  startInMs: z.number().min(0),
  intervalMs: z.number().min(0),
  ratePerSecond: z.number().min(0),
  concurrency: z.int().min(1),
});
export type Grant = z.infer<typeof GrantSchema>;

/** Who sends the lease's messages. `config` is safe to show; `secrets` are short-lived or scoped credentials. */
export const SenderSchema = z.object({
  kind: SenderKindSchema,
  /** Set for a channel connection (mailgun, twilio, whatsapp). */
  channelId: IdSchema.optional(),
  /** Set for a Gmail account. */
  emailAccountId: IdSchema.optional(),
  config: JsonObjectSchema,
  secrets: JsonObjectSchema,
});
export type Sender = z.infer<typeof SenderSchema>;

export const LeaseLeadSchema = z.object({
  id: IdSchema,
  email: z.string().nullable(),
  phone: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  timezone: z.string().nullable(),
  attributes: JsonObjectSchema,
});
export type LeaseLead = z.infer<typeof LeaseLeadSchema>;

/** Campaign facts templates may use as `{{ campaign.* }}` (and the voice agent's `campaignId`). */
export const LeaseCampaignSchema = z.object({
  id: IdSchema,
  name: z.string(),
  type: z.enum(["blast", "sequence"]),
});
export type LeaseCampaign = z.infer<typeof LeaseCampaignSchema>;

/** Per-message links; the token identifies the message to the tracking endpoints. */
export const LeaseTrackingSchema = z.object({
  token: z.string(),
  clickBaseUrl: z.string(),
  openPixelUrl: z.string(),
  /** One-click unsubscribe (List-Unsubscribe-Post) and `{{ unsubscribe_url }}`. */
  unsubscribeUrl: z.string(),
});
export type LeaseTracking = z.infer<typeof LeaseTrackingSchema>;

export const LeaseCallbacksSchema = z.object({
  /** Twilio: the provider's StatusCallback, carrying our message id. */
  statusCallbackUrl: z.string().optional(),
});
export type LeaseCallbacks = z.infer<typeof LeaseCallbacksSchema>;

/**
 * Email follow-ups (sequence step 2+): `inReplyTo` / `references` are the RFC 5322 Message-IDs of
 * the earlier emails of the sequence to this lead, `threadId` the Gmail thread they started.
 */
export const LeaseThreadingSchema = z.object({
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  threadId: z.string().nullable(),
});
export type LeaseThreading = z.infer<typeof LeaseThreadingSchema>;

export const LeaseItemSchema = z.object({
  messageId: IdSchema,
  channel: ChannelSchema,
  /** The address the message goes to (email or phone, by channel). */
  to: z.string(),
  lead: LeaseLeadSchema,
  campaign: LeaseCampaignSchema,
  template: MessageTemplateSchema,
  tracking: LeaseTrackingSchema,
  callbacks: LeaseCallbacksSchema,
  threading: LeaseThreadingSchema,
});
export type LeaseItem = z.infer<typeof LeaseItemSchema>;

/**
 * `done: true` or no items: `leaseId`, `leaseExpiresAt`, `grant` and `sender` are null (nothing due
 * now, or `retryAfterMs` of quota wait). Otherwise all four are set.
 */
export const LeaseResponseSchema = z.object({
  leaseId: IdSchema.nullable(),
  leaseExpiresAt: z.iso.datetime().nullable(),
  done: z.boolean(),
  retryAfterMs: z.number().min(0),
  grant: GrantSchema.nullable(),
  sender: SenderSchema.nullable(),
  items: z.array(LeaseItemSchema).max(MAX_LEASE_BATCH),
});
export type LeaseResponse = z.infer<typeof LeaseResponseSchema>;
