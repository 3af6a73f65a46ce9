import type { Channel, MessageTemplate, VoiceTemplateSpec, WhatsAppTemplateSpec } from '@cadence/contracts';

/** Channels and template specs are the wire contract's (@cadence/contracts): the lease carries templates as stored. */
export { CHANNELS } from '@cadence/contracts';
export type { Channel, MessageTemplate, VoiceTemplateSpec, WhatsAppTemplateSpec };

export type TemplateErrorCode =
  | 'template_syntax'
  | 'template_unknown_filter'
  | 'template_unknown_tag'
  | 'template_forbidden_tag'
  | 'template_unknown_variable'
  | 'template_missing_field'
  | 'template_invalid_field'
  | 'template_too_large';

export interface TemplateFieldError {
  /** Path of the template field, e.g. "html", "subject", "whatsapp.parameters[1]". */
  field: string;
  /** 1-based line inside the field; 0 when the error is about the field as a whole. */
  line: number;
  /** 1-based column (UTF-16 code units); 0 when the error is about the field as a whole. */
  column: number;
  message: string;
  code: TemplateErrorCode;
}

export type ValidationResult = { ok: true } | { ok: false; errors: TemplateFieldError[] };

export interface LeadInput {
  id?: string;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  timezone?: string | null;
  attributes?: Record<string, unknown> | null;
}

export interface SmsSegmentInfo {
  encoding: 'GSM-7' | 'UCS-2';
  /** Number of SMS parts the carrier bills; 0 for an empty text. */
  segments: number;
  /** Unicode code points in the text. */
  characters: number;
  /** Encoded length: septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  units: number;
}

export interface WhatsAppTextParameter {
  type: 'text';
  text: string;
  /** Named templates (parameter_format NAMED): the placeholder this value fills, e.g. `first_name`. */
  parameter_name?: string;
}

/** A media header's parameter: Meta fetches the media from `link` (a public https URL). */
export type WhatsAppMediaParameter =
  | { type: 'image'; image: { link: string } }
  | { type: 'video'; video: { link: string } }
  | { type: 'document'; document: { link: string; filename?: string } };

export type WhatsAppComponent =
  | { type: 'header'; parameters: Array<WhatsAppTextParameter | WhatsAppMediaParameter> }
  | { type: 'body'; parameters: WhatsAppTextParameter[] }
  | { type: 'button'; sub_type: 'url'; index: string; parameters: WhatsAppTextParameter[] };

export interface RenderedEmail {
  status: 'rendered';
  channel: 'email';
  subject: string;
  /** Absent when the template has only a text part. */
  html?: string;
  text: string;
  headers: Record<string, string>;
}

export interface RenderedSms extends SmsSegmentInfo {
  status: 'rendered';
  channel: 'sms';
  body: string;
}

export interface RenderedWhatsApp {
  status: 'rendered';
  channel: 'whatsapp';
  name: string;
  language: string;
  components: WhatsAppComponent[];
  /**
   * A session (free-form) text message instead of a template: only inside the 24-hour customer-service
   * window a lead's own message opens (inbox replies). Then `name` and `language` are '' and `components` [].
   */
  text?: string;
}

export interface RenderedVoice {
  status: 'rendered';
  channel: 'voice';
  twiml: string;
}

export interface SkippedRender {
  status: 'skipped';
  reason: 'missing_variable';
  /** Source text of each variable that was missing, e.g. "lead.first_name", in order of first use. */
  variables: string[];
}

export type RenderedMessage = RenderedEmail | RenderedSms | RenderedWhatsApp | RenderedVoice;
export type RenderResult = RenderedMessage | SkippedRender;

export interface ClickTrackingOptions {
  /** Builds the tracked URL for one link; wins over `clickBaseUrl` (lets the backend sign URLs). */
  clickUrl?: (originalUrl: string, linkIndex: number) => string;
  /** Redirect endpoint; links become `${clickBaseUrl}?u=<base64url(original)>&i=<index>&s=<signature>`. */
  clickBaseUrl?: string;
  /** Signs each tracked link (base64url key from the lease); the redirect endpoint refuses unsigned or altered links. */
  clickSigningKey?: string;
  /** URL of the 1x1 open-tracking image appended to the html part. */
  openPixelUrl?: string;
}

export interface UnsubscribeOptions {
  /** One-click unsubscribe endpoint (https in production); also exposed as `{{ unsubscribe_url }}`. */
  url: string;
  /** Address (or mailto: URI) added as the second List-Unsubscribe entry. */
  mailto?: string;
}

export interface RenderLimits {
  /** Wall-clock budget per field render, in milliseconds. */
  renderTimeMs: number;
  /** liquidjs allocation budget per field (string/array building, ranges). */
  memory: number;
  /** Maximum length of one rendered field, in UTF-16 code units. */
  outputLength: number;
}

export interface RenderOptions {
  tracking?: ClickTrackingOptions;
  unsubscribe?: UnsubscribeOptions;
  limits?: Partial<RenderLimits>;
}
