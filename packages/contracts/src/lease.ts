import * as z from 'zod/mini';
import { ChannelSchema, IdSchema, JsonObjectSchema, SenderKindSchema } from './channels';
import { EndpointPolicySchema } from './provider-hosts';
import { MessageTemplateSchema, type MessageTemplate } from './templates';

/** Most messages the backend hands out in one lease, whatever `max` asks (it clamps, it does not refuse). */
export const MAX_LEASE_BATCH = 1000;

/** `POST /internal/v1/runs/{runId}/lease` body: `max` is optional (default 500, capped by the campaign's batch size). */
export const LeaseRequestSchema = z.object({
  max: z.optional(z.int().check(z.minimum(1))),
});
export type LeaseRequest = z.infer<typeof LeaseRequestSchema>;

/** Slots reserved in the sender's (and campaign's) quota ledger: item i goes out at `startInMs + i * intervalMs`. */
export const GrantSchema = z.object({
  count: z.int().check(z.minimum(0)),
  startInMs: z.number().check(z.minimum(0)),
  /**
   * The first slot as epoch ms on the ledger's clock (PostgreSQL's). Parallel runs share one ledger: timing
   * their slots from this instant, not from when each lease answer arrived, keeps their slots disjoint
   * at the provider. Absent from older backends: then `startInMs` from the lease answer.
   */
  startAt: z.optional(z.number().check(z.minimum(0))),
  /**
   * How late a slot may still be used (ms). A call started later than `slot + lateToleranceMs` would
   * crowd the next run's slots into the same second, so it is not made (deferred, back to the queue).
   */
  lateToleranceMs: z.optional(z.number().check(z.minimum(0))),
  intervalMs: z.number().check(z.minimum(0)),
  ratePerSecond: z.number().check(z.minimum(0)),
  concurrency: z.int().check(z.minimum(1)),
});
export type Grant = z.infer<typeof GrantSchema>;

/** Who sends the lease's messages. `config` is safe to show; `secrets` are short-lived or scoped credentials. */
export const SenderSchema = z.object({
  kind: SenderKindSchema,
  /** Set for a channel connection (mailgun, twilio, whatsapp); opaque to n8n. */
  channelId: z.optional(z.string().check(z.minLength(1))),
  /** Set for a Gmail account; opaque to n8n. */
  emailAccountId: z.optional(z.string().check(z.minLength(1))),
  config: JsonObjectSchema,
  secrets: JsonObjectSchema,
  /**
   * Channel connections: the operator's policy for `config.baseUrl`, which the Send node checks again
   * before calling it (absent: the provider's own hosts only).
   */
  endpointPolicy: z.optional(EndpointPolicySchema),
});
export type Sender = z.infer<typeof SenderSchema>;

export const LeaseLeadSchema = z.object({
  id: IdSchema,
  email: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  firstName: z.nullable(z.string()),
  lastName: z.nullable(z.string()),
  timezone: z.nullable(z.string()),
  attributes: JsonObjectSchema,
});
export type LeaseLead = z.infer<typeof LeaseLeadSchema>;

/** Campaign facts templates may use as `{{ campaign.* }}` (and the voice agent's `campaignId`). */
export const LeaseCampaignSchema = z.object({
  id: IdSchema,
  name: z.string(),
  // `reply`: an answer written in the inbox, sent as a one-message campaign.
  type: z.enum(['blast', 'sequence', 'triggered', 'reply']),
});
export type LeaseCampaign = z.infer<typeof LeaseCampaignSchema>;
/** What `{{ campaign.* }}` can name: a template using anything else would skip every message. */
export const CAMPAIGN_FIELDS = Object.keys(LeaseCampaignSchema.shape) as ReadonlyArray<keyof LeaseCampaign>;

/**
 * The message's link tokens, one per purpose: each identifies the message to its own tracking endpoint
 * only (a token seen in a pixel URL cannot unsubscribe anyone).
 */
export const LeaseTrackingTokensSchema = z.object({
  open: z.string(),
  click: z.string(),
  unsubscribe: z.string(),
});
export type LeaseTrackingTokens = z.infer<typeof LeaseTrackingTokensSchema>;

/** Per-message links, each carrying its purpose's token. */
export const LeaseTrackingSchema = z.object({
  tokens: LeaseTrackingTokensSchema,
  clickBaseUrl: z.string(),
  openPixelUrl: z.string(),
  /** One-click unsubscribe (List-Unsubscribe-Post) and `{{ unsubscribe_url }}`. */
  unsubscribeUrl: z.string(),
  /**
   * The campaign's key for signing click targets (`&s=` on each tracked link): the redirect endpoint
   * follows only the links the campaign's emails really contain, so a link cannot be re-aimed.
   */
  clickSigningKey: z.optional(z.string()),
});
export type LeaseTracking = z.infer<typeof LeaseTrackingSchema>;

export const LeaseCallbacksSchema = z.object({
  /** Twilio: the provider's StatusCallback, carrying our message id. */
  statusCallbackUrl: z.optional(z.string()),
  /**
   * Twilio voice in agent mode: where the AI agent posts the conversation's outcome (a per-message token
   * in the URL authenticates it); handed to the agent as the stream parameter `outcomeUrl`.
   */
  agentOutcomeUrl: z.optional(z.string()),
  /**
   * Twilio voice with answering-machine detection (the campaign's `answeringMachine`): the call is placed
   * with this URL instead of inline TwiML. Twilio fetches it once it knows who answered (`AnsweredBy`),
   * and the backend answers the call's TwiML, the voicemail or a hang-up.
   */
  twimlUrl: z.optional(z.string()),
  /** Twilio's `MachineDetection` for that call: `DetectMessageEnd` waits for the beep (to leave a voicemail). */
  machineDetection: z.optional(z.enum(['Enable', 'DetectMessageEnd'])),
});
export type LeaseCallbacks = z.infer<typeof LeaseCallbacksSchema>;

/**
 * Email follow-ups (sequence step 2+): `inReplyTo` / `references` are the RFC 5322 Message-IDs of
 * the earlier emails of the sequence to this lead, `threadId` the Gmail thread they started.
 */
export const LeaseThreadingSchema = z.object({
  inReplyTo: z.nullable(z.string()),
  references: z.array(z.string()),
  threadId: z.nullable(z.string()),
});
export type LeaseThreading = z.infer<typeof LeaseThreadingSchema>;

export const LeaseItemSchema = z.object({
  messageId: IdSchema,
  channel: ChannelSchema,
  /** The address the message goes to (email or phone, by channel). */
  to: z.string(),
  lead: LeaseLeadSchema,
  campaign: LeaseCampaignSchema,
  /** Its template: a key of the lease's `templates`. */
  templateKey: z.string(),
  tracking: LeaseTrackingSchema,
  callbacks: LeaseCallbacksSchema,
  threading: LeaseThreadingSchema,
});
export type LeaseItem = z.infer<typeof LeaseItemSchema>;

/**
 * `done: true` or no items: `leaseId`, `leaseExpiresAt`, `grant` and `sender` are null (nothing due
 * now, or `retryAfterMs` of quota wait). Otherwise all four are set.
 */
export const LeaseResponseSchema = z
  .object({
    leaseId: z.nullable(IdSchema),
    leaseExpiresAt: z.nullable(z.iso.datetime()),
    done: z.boolean(),
    retryAfterMs: z.number().check(z.minimum(0)),
    grant: z.nullable(GrantSchema),
    sender: z.nullable(SenderSchema),
    /**
     * Each template the items use, once (by step, or by A/B variant): a lease of 1,000 messages of a 20 KB
     * HTML email carries 20 KB of template, not 20 MB, and n8n holds one copy of it for all of them.
     */
    templates: z.record(z.string(), MessageTemplateSchema),
    items: z.array(LeaseItemSchema),
  })
  .check(
    z.superRefine((lease, ctx) => {
      if (lease.items.length === 0) return;
      for (const key of ['leaseId', 'leaseExpiresAt', 'grant', 'sender'] as const) {
        if (lease[key] === null)
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be set when the lease has items`, input: lease[key] });
      }
      lease.items.forEach((item, i) => {
        if (!Object.hasOwn(lease.templates, item.templateKey))
          ctx.addIssue({
            code: 'custom',
            path: ['items', i, 'templateKey'],
            message: `templateKey ${item.templateKey} is not a key of templates`,
            input: item.templateKey,
          });
      });
      if (lease.grant && lease.grant.count !== lease.items.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['grant', 'count'],
          message: 'grant.count must equal the number of items',
          input: lease.grant.count,
        });
      }
    }),
  );
export type LeaseResponse = z.infer<typeof LeaseResponseSchema>;

/** A lease with items: everything needed to send them is set. */
export type GrantedLease = LeaseResponse & { leaseId: string; leaseExpiresAt: string; grant: Grant; sender: Sender };

export function isGranted(lease: LeaseResponse): lease is GrantedLease {
  return lease.items.length > 0 && lease.leaseId !== null && lease.leaseExpiresAt !== null && lease.grant !== null && lease.sender !== null;
}

/** An item's template, from the lease's `templates`. */
export function leaseTemplateOf(lease: Pick<LeaseResponse, 'templates'>, item: Pick<LeaseItem, 'templateKey'>): MessageTemplate {
  const template = Object.hasOwn(lease.templates, item.templateKey) ? lease.templates[item.templateKey] : undefined;
  if (!template) throw new Error(`the lease has no template ${item.templateKey}`);
  return template;
}

/**
 * What n8n holds of one leased message until its execution ends, estimated: the item itself (this much)
 * and its template's size, which its rendered content roughly matches (a 20 KB HTML email renders to
 * ~20 KB a recipient, held by Render Message's output).
 */
export const LEASE_ITEM_HELD_BYTES = 2048;

/**
 * A lease holds at most about this much once rendered: the backend leases fewer messages of a large
 * template (1,000 SMS, ~190 messages of a 20 KB HTML email), so one lease never makes n8n hold tens of MB.
 */
export const MAX_LEASE_HELD_BYTES = 4 * 1024 * 1024;

/** The estimate of what n8n holds of one message of this template. */
export function heldBytesOf(template: MessageTemplate): number {
  return JSON.stringify(template).length + LEASE_ITEM_HELD_BYTES;
}

/** How many messages of these templates one lease may hand out: at least one, however large. */
export function maxLeaseCountFor(templates: MessageTemplate[]): number {
  const perMessage = Math.max(LEASE_ITEM_HELD_BYTES, ...templates.map(heldBytesOf));
  return Math.max(1, Math.floor(MAX_LEASE_HELD_BYTES / perMessage));
}

/** The estimate of what n8n holds of a whole lease once rendered (each template measured once). */
export function leaseHeldBytes(lease: Pick<LeaseResponse, 'templates' | 'items'>): number {
  const perTemplate = new Map<string, number>();
  let total = 0;
  for (const item of lease.items) {
    let bytes = perTemplate.get(item.templateKey);
    if (bytes === undefined) {
      bytes = heldBytesOf(leaseTemplateOf(lease, item));
      perTemplate.set(item.templateKey, bytes);
    }
    total += bytes;
  }
  return total;
}
