import * as z from 'zod/mini';
import { ChannelSchema } from './channels';

/** Email: Liquid `subject`, and an `html` and/or `text` part. */
export const EmailTemplateSpecSchema = z.object({
  subject: z.string(),
  html: z.optional(z.string()),
  text: z.optional(z.string()),
});
export type EmailTemplateSpec = z.infer<typeof EmailTemplateSpecSchema>;

/** SMS: one Liquid `body`. */
export const SmsTemplateSpecSchema = z.object({ body: z.string() });
export type SmsTemplateSpec = z.infer<typeof SmsTemplateSpecSchema>;

export const WhatsAppTemplateSpecSchema = z.object({
  /** Name of the template approved in WhatsApp Manager (lowercase, digits, underscores). */
  name: z.string(),
  /** WhatsApp language code, e.g. "en_US". */
  language: z.string(),
  /** Liquid source for body placeholders `{{1}}`, `{{2}}`... in that order. */
  parameters: z.optional(z.array(z.string())),
  /** Named templates (`{{first_name}}`): entry i names the body placeholder `parameters[i]` fills. */
  parameterNames: z.optional(z.array(z.string())),
  /** Liquid source for text-header placeholders, in order. */
  headerParameters: z.optional(z.array(z.string())),
  /** Liquid source for the dynamic suffix of URL buttons; entry i fills button index i. */
  buttonParameters: z.optional(z.array(z.string())),
  /**
   * A media header (IMAGE, VIDEO or DOCUMENT template): `link` is Liquid that renders to a public https
   * URL Meta fetches the media from; `filename` names a document for the recipient.
   */
  headerMedia: z.optional(
    z.object({
      format: z.enum(['image', 'video', 'document']),
      link: z.string(),
      filename: z.optional(z.string()),
    }),
  ),
});
export type WhatsAppTemplateSpec = z.infer<typeof WhatsAppTemplateSpecSchema>;

export const VOICE_MODES = ['say', 'agent', 'bridge'] as const;

export const VoiceTemplateSpecSchema = z.object({
  /** Liquid source spoken with `<Say>` (say mode) or before connecting (agent mode). */
  script: z.optional(z.string()),
  /**
   * "say" (default) speaks the script; "agent" connects the call to a media stream; "bridge" (call now
   * from a callback request) speaks the optional script to the person who answered, then `<Dial>`s `dial`.
   */
  mode: z.optional(z.enum(VOICE_MODES)),
  /** `wss://` endpoint of the voice agent (agent mode); may contain Liquid. */
  streamUrl: z.optional(z.string()),
  /** Agent mode: the agent's instructions for this lead (Liquid), sent as the stream parameter `prompt`. */
  prompt: z.optional(z.string()),
  /** Agent mode: what the agent says first (Liquid), sent as the stream parameter `firstMessage`. */
  firstMessage: z.optional(z.string()),
  /** Bridge mode: the E.164 number to connect (`<Dial><Number>`); may contain Liquid. */
  dial: z.optional(z.string()),
  /** Bridge mode: the number the bridged party sees (`<Dial callerId>`), e.g. `{{ sender.from }}`. */
  callerId: z.optional(z.string()),
  /** Bridge mode: `<Dial action>`, where Twilio reports DialCallStatus / DialCallDuration / DialCallSid. */
  dialActionUrl: z.optional(z.string()),
  /** Twilio `<Say voice>`, e.g. "Polly.Joanna". */
  voice: z.optional(z.string()),
  /** Twilio `<Say language>`, e.g. "en-US". */
  language: z.optional(z.string()),
});
export type VoiceTemplateSpec = z.infer<typeof VoiceTemplateSpecSchema>;

/**
 * A template as the lease carries it and the renderer takes it: the channel, and that channel's
 * fields (absent fields are left out, never null). Which fields a channel requires is
 * @cadence/render's validateTemplate's business (it reports Liquid errors per field too).
 */
export const MessageTemplateSchema = z.object({
  channel: ChannelSchema,
  subject: z.optional(z.string()),
  html: z.optional(z.string()),
  text: z.optional(z.string()),
  body: z.optional(z.string()),
  whatsapp: z.optional(WhatsAppTemplateSpecSchema),
  voice: z.optional(VoiceTemplateSpecSchema),
});
export type MessageTemplate = z.infer<typeof MessageTemplateSchema>;
