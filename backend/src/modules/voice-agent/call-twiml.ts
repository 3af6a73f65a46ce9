import { leaseRenderContext, renderTemplate, TemplateRenderError, type MessageTemplate } from '@cadence/render';
import type { LeaseLead, VoiceTemplateSpec } from '@cadence/contracts';
import type { CampaignSettings, CampaignType } from '../campaigns/campaign.entity';

/** What Twilio gets when there is nothing to say: a call must always receive valid TwiML, never an error page. */
export const HANG_UP_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';

/** The call being answered, as call-twiml.service.ts reads it. */
export interface AnsweredCall {
  messageId: string;
  /** Null once the lead was deleted. */
  lead: LeaseLead | null;
  campaign: { id: string; name: string; type: CampaignType; settings: CampaignSettings };
  voice: VoiceTemplateSpec | null;
  senderConfig: Record<string, unknown>;
  /** The message's links, as the lease handed them to n8n. */
  unsubscribeUrl: string;
  agentOutcomeUrl?: string;
}

/** Twilio's `AnsweredBy`: `machine_start`, `machine_end_beep` (`_silence`, `_other`) and `fax` are not a person. */
export function answeredByMachine(answeredBy: string | undefined): boolean {
  return !!answeredBy && (answeredBy.startsWith('machine') || answeredBy === 'fax');
}

/**
 * The TwiML for a call placed with answering-machine detection, once Twilio knows who answered:
 * a person (or `unknown`, or a machine under `treat_as_answered`) hears the step's template rendered
 * for the lead exactly as the Send node renders it; a machine is hung up on, or hears the voicemail
 * script after the beep. Anything that cannot be rendered ends the call rather than playing a broken script.
 */
export function answerTwiml(call: AnsweredCall, answeredBy: string | undefined): string {
  if (!call.lead) return HANG_UP_TWIML;
  let template: MessageTemplate = { channel: 'voice', ...(call.voice && { voice: call.voice }) };
  if (answeredByMachine(answeredBy)) {
    const choice = call.campaign.settings.answeringMachine;
    if (choice === 'hang_up') return HANG_UP_TWIML;
    if (choice === 'voicemail') {
      const script = call.campaign.settings.voicemailScript;
      if (!script) return HANG_UP_TWIML;
      const { voice, language } = call.voice ?? {};
      template = { channel: 'voice', voice: { script, ...(voice && { voice }), ...(language && { language }) } };
    }
  }
  const context = leaseRenderContext(
    {
      messageId: call.messageId,
      lead: call.lead,
      campaign: { id: call.campaign.id, name: call.campaign.name, type: call.campaign.type },
      tracking: { unsubscribeUrl: call.unsubscribeUrl },
      callbacks: call.agentOutcomeUrl ? { agentOutcomeUrl: call.agentOutcomeUrl } : {},
    },
    call.senderConfig,
  );
  try {
    const r = renderTemplate(template, context);
    return r.status === 'rendered' && r.channel === 'voice' ? r.twiml : HANG_UP_TWIML;
  } catch (err) {
    if (err instanceof TemplateRenderError) return HANG_UP_TWIML;
    throw err;
  }
}
