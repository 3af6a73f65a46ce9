import { buildRenderContext, type ContextObject, type RenderContext } from './render-context';
import type { LeadInput } from './types';

/** Sender facts templates may use as `sender.*` (never secrets). */
const SENDER_TEMPLATE_FIELDS = ['name', 'email', 'from', 'fromName', 'companyName', 'company', 'phone', 'domain', 'agentProvider'];

/** The sender's config, cut to the facts a template may show. */
export function senderTemplateFields(config: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of SENDER_TEMPLATE_FIELDS) if (config?.[k] !== undefined && config[k] !== null) out[k] = config[k];
  return out;
}

/** What of a leased message (the lease's LeaseItem) its rendering reads. */
export interface LeasedMessage {
  messageId: string;
  lead?: LeadInput | null;
  campaign?: ContextObject | null;
  tracking?: { unsubscribeUrl?: string | null } | null;
  callbacks?: { agentOutcomeUrl?: string | null } | null;
}

/**
 * The Liquid scope of one leased message. The Send node renders with it before sending; the backend
 * renders a call's TwiML with it when Twilio asks at answer time (answering-machine detection): one
 * function, so both say the same thing to the same lead.
 */
export function leaseRenderContext(message: LeasedMessage, senderConfig: Record<string, unknown> | null | undefined): RenderContext {
  const unsubscribeUrl = message.tracking?.unsubscribeUrl;
  const agentOutcomeUrl = message.callbacks?.agentOutcomeUrl;
  return buildRenderContext({
    lead: message.lead,
    sender: senderTemplateFields(senderConfig),
    campaign: message.campaign ?? {},
    message: { id: message.messageId, ...(agentOutcomeUrl ? { agentOutcomeUrl } : {}) },
    ...(unsubscribeUrl ? { tracking: { unsubscribeUrl } } : {}),
  });
}
