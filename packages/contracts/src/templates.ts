import { z } from "zod";
import { ChannelSchema } from "./channels";

/** Email: Liquid `subject`, and an `html` and/or `text` part. */
export const EmailTemplateSpecSchema = z.object({
  subject: z.string(),
  html: z.string().optional(),
  text: z.string().optional(),
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
  parameters: z.array(z.string()).optional(),
  /** Liquid source for text-header placeholders, in order. */
  headerParameters: z.array(z.string()).optional(),
  /** Liquid source for the dynamic suffix of URL buttons; entry i fills button index i. */
  buttonParameters: z.array(z.string()).optional(),
});
export type WhatsAppTemplateSpec = z.infer<typeof WhatsAppTemplateSpecSchema>;

export const VOICE_MODES = ["say", "agent"] as const;

export const VoiceTemplateSpecSchema = z.object({
  /** Liquid source spoken with `<Say>` (say mode) or before connecting (agent mode). */
  script: z.string().optional(),
  /** "say" (default) speaks the script; "agent" connects the call to a media stream. */
  mode: z.enum(VOICE_MODES).optional(),
  /** `wss://` endpoint of the voice agent (agent mode); may contain Liquid. */
  streamUrl: z.string().optional(),
  /** Twilio `<Say voice>`, e.g. "Polly.Joanna". */
  voice: z.string().optional(),
  /** Twilio `<Say language>`, e.g. "en-US". */
  language: z.string().optional(),
});
export type VoiceTemplateSpec = z.infer<typeof VoiceTemplateSpecSchema>;

/**
 * A template as the lease carries it and the renderer takes it: the channel, and that channel's
 * fields (absent fields are left out, never null). Which fields a channel requires is
 * @cadence/render's validateTemplate's business (it reports Liquid errors per field too).
 */
export const MessageTemplateSchema = z.object({
  channel: ChannelSchema,
  subject: z.string().optional(),
  html: z.string().optional(),
  text: z.string().optional(),
  body: z.string().optional(),
  whatsapp: WhatsAppTemplateSpecSchema.optional(),
  voice: VoiceTemplateSpecSchema.optional(),
});
export type MessageTemplate = z.infer<typeof MessageTemplateSchema>;
