import type { MessageTemplate } from '@cadence/render';
import type { Template } from './template.entity';

/** A template's content fields as stored (null where the channel has none). */
export type TemplateFields = Pick<Template, 'channel' | 'subject' | 'html' | 'text' | 'body' | 'whatsapp' | 'voice'>;

/** The stored template as the renderer takes it: the content fields, without the ones the channel leaves null. */
export function messageTemplateOf(t: TemplateFields): MessageTemplate {
  return {
    channel: t.channel,
    ...(t.subject !== null && { subject: t.subject }),
    ...(t.html !== null && { html: t.html }),
    ...(t.text !== null && { text: t.text }),
    ...(t.body !== null && { body: t.body }),
    ...(t.whatsapp !== null && { whatsapp: t.whatsapp }),
    ...(t.voice !== null && { voice: t.voice }),
  };
}
