import { TemplateRenderError } from './errors';
import { textEngine } from './liquid-engine';
import type { RenderContext } from './render-context';
import type { RenderSession } from './render-session';
import type { MessageTemplate, RenderedVoice } from './types';
import { isHttpUrl, isWebSocketUrl } from './validate-template';

const E164 = /^\+[1-9]\d{6,14}$/;

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes text for XML content and attribute values. Control characters XML 1.0 cannot carry at
 * all (even escaped) are dropped, so lead data can never make TwiML unparseable.
 */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removes the control characters XML 1.0 cannot carry
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch])
  );
}

function attribute(name: string, value: string | undefined): string {
  return value ? ` ${name}="${escapeXml(value)}"` : '';
}

function say(script: string, voice: string | undefined, language: string | undefined): string {
  return `<Say${attribute('voice', voice)}${attribute('language', language)}>${escapeXml(script)}</Say>`;
}

function stringValue(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * Facts a voice agent needs to greet the lead and report back about the right message: ids, the
 * rendered prompt and first message, which agent provider runs it (`sender.agentProvider`) and where
 * it posts the outcome (`message.agentOutcomeUrl`).
 */
function streamParameters(context: RenderContext, prompt: string, firstMessage: string): Array<[string, string]> {
  const candidates: Array<[string, unknown]> = [
    ['leadName', context.lead?.fullName],
    ['leadFirstName', context.lead?.firstName],
    ['leadId', context.lead?.id],
    ['messageId', context.message?.id],
    ['campaignId', context.campaign?.id],
    ['prompt', prompt],
    ['firstMessage', firstMessage],
    ['agentProvider', context.sender?.agentProvider],
    ['outcomeUrl', context.message?.agentOutcomeUrl],
  ];
  const parameters: Array<[string, string]> = [];
  for (const [name, value] of candidates) {
    const text = stringValue(value);
    if (text !== undefined) parameters.push([name, text]);
  }
  return parameters;
}

/**
 * Bridge mode: the call rings an agent; once answered the optional script is spoken to the agent
 * ("Connecting you to Dana"), then `<Dial>` connects the lead from the channel's number, and Twilio
 * reports the lead leg to the `action` URL (DialCallStatus, DialCallDuration, DialCallSid).
 */
function bridgeVerbs(
  bridge: { dial: string; callerId: string; action: string },
  script: string,
  voice: string | undefined,
  language: string | undefined,
): string[] {
  if (!E164.test(bridge.dial))
    throw new TemplateRenderError('render_invalid_output', 'voice.dial must render to an E.164 number', 'voice.dial');
  if (bridge.callerId !== '' && !E164.test(bridge.callerId))
    throw new TemplateRenderError('render_invalid_output', 'voice.callerId must render to an E.164 number', 'voice.callerId');
  if (bridge.action !== '' && !isHttpUrl(bridge.action))
    throw new TemplateRenderError('render_invalid_output', 'voice.dialActionUrl must render to an http(s) URL', 'voice.dialActionUrl');
  const dial = `<Dial${attribute('callerId', bridge.callerId)}${attribute('action', bridge.action)}${bridge.action ? ' method="POST"' : ''}><Number>${escapeXml(bridge.dial)}</Number></Dial>`;
  return [...(script !== '' ? [say(script, voice, language)] : []), dial];
}

/**
 * TwiML for the call: `<Say>` of the script in say mode; in agent mode an optional spoken
 * opener, then `<Connect><Stream>` to the agent with lead and message identifiers as
 * `<Parameter>`s (Twilio hands them to the stream's "start" event).
 */
export function renderVoice(template: MessageTemplate, session: RenderSession, context: RenderContext): RenderedVoice | undefined {
  const spec = template.voice!;
  const mode = spec.mode ?? 'say';
  const script = spec.script?.trim() ? session.render(textEngine, spec.script, 'voice.script').trim() : '';
  const streamUrl = mode === 'agent' ? session.render(textEngine, spec.streamUrl ?? '', 'voice.streamUrl').trim() : '';
  const agentField = (source: string | undefined, field: string) =>
    mode === 'agent' && source?.trim() ? session.render(textEngine, source, field).trim() : '';
  const prompt = agentField(spec.prompt, 'voice.prompt');
  const firstMessage = agentField(spec.firstMessage, 'voice.firstMessage');
  const bridge =
    mode === 'bridge'
      ? {
          dial: session.render(textEngine, spec.dial ?? '', 'voice.dial').trim(),
          callerId: spec.callerId ? session.render(textEngine, spec.callerId, 'voice.callerId').trim() : '',
          action: spec.dialActionUrl ? session.render(textEngine, spec.dialActionUrl, 'voice.dialActionUrl').trim() : '',
        }
      : undefined;
  if (session.hasMissing) return undefined;

  const verbs: string[] = [];
  if (bridge) {
    verbs.push(...bridgeVerbs(bridge, script, spec.voice, spec.language));
  } else if (mode === 'say') {
    if (script === '') throw new TemplateRenderError('render_invalid_output', 'voice script rendered empty', 'voice.script');
    verbs.push(say(script, spec.voice, spec.language));
  } else {
    if (!isWebSocketUrl(streamUrl)) {
      throw new TemplateRenderError('render_invalid_output', 'voice.streamUrl must render to a wss:// URL', 'voice.streamUrl');
    }
    if (script !== '') verbs.push(say(script, spec.voice, spec.language));
    const parameters = streamParameters(context, prompt, firstMessage)
      .map(([name, value]) => `<Parameter name="${escapeXml(name)}" value="${escapeXml(value)}"/>`)
      .join('');
    verbs.push(`<Connect><Stream url="${escapeXml(streamUrl)}">${parameters}</Stream></Connect>`);
  }
  return {
    status: 'rendered',
    channel: 'voice',
    twiml: `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs.join('')}</Response>`,
  };
}
