import type { LibraryCategory } from '@cadence/contracts/src/template-library';
import type { WhatsAppTemplateSpec } from '@cadence/render';
import type { Template, TemplateChannel } from './types';

export type WhatsAppMediaFormat = NonNullable<WhatsAppTemplateSpec['headerMedia']>['format'];

/** The editor's state: every field a string (or list of strings) so inputs stay controlled. */
export interface TemplateDraft {
  name: string;
  channel: TemplateChannel;
  subject: string;
  html: string;
  text: string;
  body: string;
  whatsapp: {
    name: string;
    language: string;
    parameters: string[];
    /** A named-parameter template's body placeholder names (`first_name`), entry i for `parameters[i]`; [] when positional. */
    parameterNames: string[];
    headerParameters: string[];
    buttonParameters: string[];
    /** A media header (image, video or document template); format '' when the template has none. */
    headerMedia: { format: '' | WhatsAppMediaFormat; link: string; filename: string };
  };
  voice: {
    mode: 'say' | 'agent';
    script: string;
    streamUrl: string;
    prompt: string;
    firstMessage: string;
    voice: string;
    language: string;
  };
  /** '' when the template is not in the library. */
  libraryCategory: LibraryCategory | '';
}

export const WHATSAPP_LISTS = [
  { key: 'parameters', label: 'Body parameters', one: 'body parameter', placeholder: (i: number) => `{{${i + 1}}}` },
  { key: 'headerParameters', label: 'Header parameters', one: 'header parameter', placeholder: (i: number) => `header {{${i + 1}}}` },
  { key: 'buttonParameters', label: 'URL button suffixes', one: 'URL button suffix', placeholder: (i: number) => `button ${i}` },
] as const;

const STARTERS: Record<TemplateChannel, Partial<TemplateDraft>> = {
  email: {
    subject: 'Hello {{ lead.first_name | default: "there" }}',
    html: '<p>Hi {{ lead.first_name | default: "there" }},</p>\n<p></p>\n<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
  },
  sms: { body: 'Hi {{ lead.first_name | default: "there" }}, ' },
  whatsapp: {},
  voice: {},
};

export function emptyDraft(channel: TemplateChannel = 'sms'): TemplateDraft {
  return {
    name: '',
    channel,
    subject: '',
    html: '',
    text: '',
    body: '',
    whatsapp: {
      name: '',
      language: 'en_US',
      parameters: [],
      parameterNames: [],
      headerParameters: [],
      buttonParameters: [],
      headerMedia: { format: '', link: '', filename: '' },
    },
    voice: { mode: 'say', script: '', streamUrl: '', prompt: '', firstMessage: '', voice: '', language: '' },
    libraryCategory: '',
    ...STARTERS[channel],
  };
}

export function draftOf(t: Template): TemplateDraft {
  const base = emptyDraft(t.channel);
  return {
    name: t.name,
    channel: t.channel,
    subject: t.subject ?? '',
    html: t.html ?? '',
    text: t.text ?? '',
    body: t.body ?? '',
    whatsapp: {
      name: t.whatsapp?.name ?? '',
      language: t.whatsapp?.language ?? base.whatsapp.language,
      parameters: t.whatsapp?.parameters ?? [],
      parameterNames: t.whatsapp?.parameterNames ?? [],
      headerParameters: t.whatsapp?.headerParameters ?? [],
      buttonParameters: t.whatsapp?.buttonParameters ?? [],
      headerMedia: mediaDraft(t.whatsapp?.headerMedia),
    },
    voice: {
      // `bridge` is only in the one-off templates of "call now" calls, which the editor never opens.
      mode: t.voice?.mode === 'agent' ? 'agent' : 'say',
      script: t.voice?.script ?? '',
      streamUrl: t.voice?.streamUrl ?? '',
      prompt: t.voice?.prompt ?? '',
      firstMessage: t.voice?.firstMessage ?? '',
      voice: t.voice?.voice ?? '',
      language: t.voice?.language ?? '',
    },
    libraryCategory: t.libraryCategory ?? '',
  };
}

/** The draft's media header from the stored spec (format '' for none). */
export function mediaDraft(media: WhatsAppTemplateSpec['headerMedia']): TemplateDraft['whatsapp']['headerMedia'] {
  return media ? { format: media.format, link: media.link, filename: media.filename ?? '' } : { format: '', link: '', filename: '' };
}

/** A synced Meta template's suggested spec as the editor's fields (name, language, every parameter's Liquid). */
export function whatsappDraftOf(spec: WhatsAppTemplateSpec): TemplateDraft['whatsapp'] {
  return {
    name: spec.name,
    language: spec.language,
    parameters: spec.parameters ?? [],
    parameterNames: spec.parameterNames ?? [],
    headerParameters: spec.headerParameters ?? [],
    buttonParameters: spec.buttonParameters ?? [],
    headerMedia: mediaDraft(spec.headerMedia),
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s);
const optional = (s: string) => (s.trim() === '' ? undefined : s);

/**
 * The channel's fields as the API takes them (create, PATCH, preview). Fields of other channels are sent as null so a
 * PATCH leaves nothing stale behind; an empty email text part is null, so the renderer derives it from the HTML.
 */
export function channelFields(d: TemplateDraft) {
  const none = { subject: null, html: null, text: null, body: null, whatsapp: null, voice: null };
  switch (d.channel) {
    case 'email':
      return { ...none, channel: d.channel, subject: d.subject, html: orNull(d.html), text: orNull(d.text) };
    case 'sms':
      return { ...none, channel: d.channel, body: d.body };
    case 'whatsapp': {
      const w = d.whatsapp;
      const list = (values: string[]) => (values.length > 0 ? values : undefined);
      return {
        ...none,
        channel: d.channel,
        whatsapp: {
          name: w.name,
          language: w.language,
          parameters: list(w.parameters),
          // Names only mean something one per body parameter; a stale list would misname them.
          parameterNames: w.parameterNames.length > 0 && w.parameterNames.length === w.parameters.length ? w.parameterNames : undefined,
          headerParameters: w.headerMedia.format ? undefined : list(w.headerParameters),
          buttonParameters: list(w.buttonParameters),
          headerMedia: w.headerMedia.format
            ? { format: w.headerMedia.format, link: w.headerMedia.link, filename: optional(w.headerMedia.filename) }
            : undefined,
        },
      };
    }
    case 'voice': {
      const v = d.voice;
      return {
        ...none,
        channel: d.channel,
        voice: {
          mode: v.mode,
          script: optional(v.script),
          streamUrl: v.mode === 'agent' ? optional(v.streamUrl) : undefined,
          prompt: v.mode === 'agent' ? optional(v.prompt) : undefined,
          firstMessage: v.mode === 'agent' ? optional(v.firstMessage) : undefined,
          voice: optional(v.voice),
          language: optional(v.language),
        },
      };
    }
  }
}

/** The first line of what the template says, for the list. */
export function snippet(t: Pick<Template, 'channel' | 'subject' | 'html' | 'text' | 'body' | 'whatsapp' | 'voice'>): string {
  const source =
    t.channel === 'email'
      ? `${t.subject ?? ''} — ${(t.text ?? t.html ?? '').replace(/<[^>]*>/g, ' ')}`
      : t.channel === 'sms'
        ? (t.body ?? '')
        : t.channel === 'whatsapp'
          ? `${t.whatsapp?.name ?? ''} (${t.whatsapp?.language ?? ''})`
          : (t.voice?.script ?? t.voice?.streamUrl ?? '');
  const flat = source.replace(/\s+/g, ' ').trim();
  return flat.length > 90 ? `${flat.slice(0, 89)}…` : flat;
}
