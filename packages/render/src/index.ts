/**
 * @cadence/render: the one Liquid renderer of Cadence, shared by the backend (validation,
 * preview) and the n8n nodes (rendering each message before it is sent).
 */
export { validateTemplate } from './validate-template';
export { requiredLeadVariables } from './required-variables';
export { buildRenderContext, sampleCampaign, sampleLead, CONTEXT_ROOTS } from './render-context';
export type { RenderContext, RenderContextInput, ContextObject } from './render-context';
export { leaseRenderContext, senderTemplateFields } from './lease-context';
export type { LeasedMessage } from './lease-context';
export { renderTemplate } from './render-template';
export { WHATSAPP_TEXT_MAX_CHARS } from './render-whatsapp';
export { countSmsSegments } from './sms-segments';
export { buildClickUrl, clickSignature, clickSignatureMatches, parseClickUrl } from './click-tracking';
export type { ClickTarget } from './click-tracking';
export { htmlToText } from './html-to-text';
export { publicHttpsUrlProblem } from './public-url';
export { TemplateRenderError } from './errors';
export type { TemplateRenderErrorCode } from './errors';
export { DEFAULT_RENDER_LIMITS, MAX_TEMPLATE_LENGTH } from './liquid-engine';
export { CHANNELS } from './types';
export type {
  Channel,
  ClickTrackingOptions,
  LeadInput,
  MessageTemplate,
  RenderLimits,
  RenderOptions,
  RenderResult,
  RenderedEmail,
  RenderedMessage,
  RenderedSms,
  RenderedVoice,
  RenderedWhatsApp,
  WhatsAppMediaParameter,
  SkippedRender,
  SmsSegmentInfo,
  TemplateErrorCode,
  TemplateFieldError,
  UnsubscribeOptions,
  ValidationResult,
  VoiceTemplateSpec,
  WhatsAppComponent,
  WhatsAppTemplateSpec,
  WhatsAppTextParameter,
} from './types';
