import { CAMPAIGN_FIELDS } from '@cadence/contracts';
import { CONTEXT_ROOTS } from './render-context';
import { describeParseError, htmlEngine, textEngine } from './liquid-engine';
import type { LiquidEngine } from './liquid-engine';
import { publicHttpsUrlProblem } from './public-url';
import { CHANNELS } from './types';
import type { MessageTemplate, TemplateErrorCode, TemplateFieldError, ValidationResult } from './types';

/** One Liquid source inside a template, with the engine that renders it. */
export interface LiquidField {
  field: string;
  source: string;
  engine: LiquidEngine;
}

const WHATSAPP_LISTS = ['parameters', 'headerParameters', 'buttonParameters'] as const;

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

function fieldError(field: string, code: TemplateErrorCode, message: string): TemplateFieldError {
  return { field, line: 0, column: 0, code, message };
}

/** The Liquid sources a template's channel uses; fields of other channels are ignored. */
export function liquidFields(template: MessageTemplate): LiquidField[] {
  const fields: LiquidField[] = [];
  const add = (field: string, source: unknown, engine: LiquidEngine): void => {
    if (typeof source === 'string') fields.push({ field, source, engine });
  };
  switch (template.channel) {
    case 'email':
      add('subject', template.subject, textEngine);
      add('html', template.html, htmlEngine);
      add('text', template.text, textEngine);
      break;
    case 'sms':
      add('body', template.body, textEngine);
      break;
    case 'whatsapp':
      if (!template.whatsapp) add('body', template.body, textEngine);
      for (const list of WHATSAPP_LISTS) {
        const values = template.whatsapp?.[list];
        if (Array.isArray(values)) values.forEach((value, i) => add(`whatsapp.${list}[${i}]`, value, textEngine));
      }
      add('whatsapp.headerMedia.link', template.whatsapp?.headerMedia?.link, textEngine);
      add('whatsapp.headerMedia.filename', template.whatsapp?.headerMedia?.filename, textEngine);
      break;
    case 'voice':
      add('voice.script', template.voice?.script, textEngine);
      add('voice.streamUrl', template.voice?.streamUrl, textEngine);
      add('voice.prompt', template.voice?.prompt, textEngine);
      add('voice.firstMessage', template.voice?.firstMessage, textEngine);
      add('voice.dial', template.voice?.dial, textEngine);
      add('voice.callerId', template.voice?.callerId, textEngine);
      add('voice.dialActionUrl', template.voice?.dialActionUrl, textEngine);
      break;
  }
  return fields;
}

/** Shape and required-field checks per channel (no Liquid parsing). */
export function checkTemplateShape(template: MessageTemplate): TemplateFieldError[] {
  const errors: TemplateFieldError[] = [];
  if (!template || typeof template !== 'object') {
    return [fieldError('channel', 'template_missing_field', 'template must be an object with a channel')];
  }
  if (!CHANNELS.includes(template.channel)) {
    return [fieldError('channel', 'template_invalid_field', `channel must be one of ${CHANNELS.join(', ')}`)];
  }
  for (const key of ['subject', 'html', 'text', 'body'] as const) {
    const value: unknown = template[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      errors.push(fieldError(key, 'template_invalid_field', `${key} must be a string`));
    }
  }

  switch (template.channel) {
    case 'email':
      if (isBlank(template.subject)) errors.push(fieldError('subject', 'template_missing_field', 'email needs a subject'));
      if (isBlank(template.html) && isBlank(template.text)) {
        errors.push(fieldError('html', 'template_missing_field', 'email needs html or text'));
      }
      break;
    case 'sms':
      if (isBlank(template.body)) errors.push(fieldError('body', 'template_missing_field', 'sms needs a body'));
      break;
    case 'whatsapp':
      errors.push(...checkWhatsApp(template));
      break;
    case 'voice':
      errors.push(...checkVoice(template));
      break;
  }
  return errors;
}

function checkWhatsApp(template: MessageTemplate): TemplateFieldError[] {
  const spec = template.whatsapp;
  // No approved template but a body: a session message (an inbox reply inside the 24-hour window).
  if ((spec === undefined || spec === null) && !isBlank(template.body)) return [];
  if (!spec || typeof spec !== 'object') {
    return [fieldError('whatsapp', 'template_missing_field', 'whatsapp needs { name, language, parameters }')];
  }
  const errors: TemplateFieldError[] = [];
  if (isBlank(spec.name)) errors.push(fieldError('whatsapp.name', 'template_missing_field', 'whatsapp needs a template name'));
  else if (!/^[a-z0-9_]+$/.test(spec.name)) {
    errors.push(
      fieldError('whatsapp.name', 'template_invalid_field', 'WhatsApp template names use lowercase letters, digits and underscores'),
    );
  }
  if (isBlank(spec.language)) {
    errors.push(fieldError('whatsapp.language', 'template_missing_field', 'whatsapp needs a language code such as en_US'));
  } else if (/\s/.test(spec.language)) {
    errors.push(fieldError('whatsapp.language', 'template_invalid_field', 'language code cannot contain spaces'));
  }
  for (const list of WHATSAPP_LISTS) {
    const values: unknown = spec[list];
    if (values === undefined || values === null) continue;
    if (!Array.isArray(values)) {
      errors.push(fieldError(`whatsapp.${list}`, 'template_invalid_field', `${list} must be an array of strings`));
      continue;
    }
    values.forEach((value: unknown, i) => {
      if (typeof value !== 'string') {
        errors.push(fieldError(`whatsapp.${list}[${i}]`, 'template_invalid_field', 'each parameter must be a Liquid string'));
      }
    });
  }
  errors.push(...checkHeaderMedia(spec.headerMedia));
  return errors;
}

/** A media header: its format, and a link that is Liquid or, when it is a plain URL already, a public https one. */
function checkHeaderMedia(media: unknown): TemplateFieldError[] {
  if (media === undefined || media === null) return [];
  const m = media as { format?: unknown; link?: unknown; filename?: unknown };
  if (typeof media !== 'object')
    return [fieldError('whatsapp.headerMedia', 'template_invalid_field', 'headerMedia must be { format, link }')];
  const errors: TemplateFieldError[] = [];
  if (!['image', 'video', 'document'].includes(m.format as string))
    errors.push(fieldError('whatsapp.headerMedia.format', 'template_invalid_field', 'format must be image, video or document'));
  if (isBlank(m.link)) errors.push(fieldError('whatsapp.headerMedia.link', 'template_missing_field', 'a media header needs a link'));
  else if (!/{{|{%/.test(m.link as string)) {
    const problem = publicHttpsUrlProblem((m.link as string).trim());
    if (problem) errors.push(fieldError('whatsapp.headerMedia.link', 'template_invalid_field', `the media link ${problem}`));
  }
  if (m.filename !== undefined && typeof m.filename !== 'string')
    errors.push(fieldError('whatsapp.headerMedia.filename', 'template_invalid_field', 'filename must be a string'));
  return errors;
}

function checkVoice(template: MessageTemplate): TemplateFieldError[] {
  const spec = template.voice;
  if (!spec || typeof spec !== 'object') {
    return [fieldError('voice', 'template_missing_field', 'voice needs { script } or { mode: "agent", streamUrl }')];
  }
  const errors: TemplateFieldError[] = [];
  const mode = spec.mode ?? 'say';
  if (mode !== 'say' && mode !== 'agent' && mode !== 'bridge') {
    errors.push(fieldError('voice.mode', 'template_invalid_field', 'mode must be "say", "agent" or "bridge"'));
  } else if (mode === 'bridge') {
    if (isBlank(spec.dial))
      errors.push(fieldError('voice.dial', 'template_missing_field', 'voice in bridge mode needs the number to dial'));
    if (!isBlank(spec.dialActionUrl) && !spec.dialActionUrl!.includes('{') && !isHttpUrl(spec.dialActionUrl!))
      errors.push(fieldError('voice.dialActionUrl', 'template_invalid_field', 'dialActionUrl must be an http(s) URL'));
  } else if (mode === 'say' && isBlank(spec.script)) {
    errors.push(fieldError('voice.script', 'template_missing_field', 'voice in say mode needs a script'));
  } else if (mode === 'agent') {
    if (isBlank(spec.streamUrl)) {
      errors.push(fieldError('voice.streamUrl', 'template_missing_field', 'voice in agent mode needs a streamUrl'));
    } else if (!spec.streamUrl!.includes('{') && !isWebSocketUrl(spec.streamUrl!)) {
      errors.push(fieldError('voice.streamUrl', 'template_invalid_field', 'streamUrl must be a wss:// URL'));
    }
  }
  for (const key of ['script', 'streamUrl', 'prompt', 'firstMessage', 'voice', 'language', 'dial', 'callerId', 'dialActionUrl'] as const) {
    const value: unknown = spec[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      errors.push(fieldError(`voice.${key}`, 'template_invalid_field', `${key} must be a string`));
    }
  }
  return errors;
}

export function isHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url.trim()).protocol);
  } catch {
    return false;
  }
}

export function isWebSocketUrl(url: string): boolean {
  try {
    return new URL(url.trim()).protocol === 'wss:';
  } catch {
    return false;
  }
}

const knownRoots = new Set(CONTEXT_ROOTS);

/**
 * Roots whose keys are fixed by what a message is rendered with: `campaign.*` is the lease's
 * campaign (@cadence/contracts), `message.*` the message id. `lead.*` and `sender.*` are open.
 */
const knownKeys: Record<string, ReadonlySet<string>> = {
  campaign: new Set(CAMPAIGN_FIELDS),
  message: new Set(['id']),
};

/** Parses one field; returns its syntax error or the unknown root variables it references. */
function checkLiquidField({ field, source, engine }: LiquidField): TemplateFieldError[] {
  let templates;
  try {
    templates = engine.parseCached(source);
  } catch (err) {
    const { code, message, line, column } = describeParseError(err, source);
    return [{ field, line, column, code, message }];
  }
  const errors: TemplateFieldError[] = [];
  const { globals } = engine.liquid.analyzeSync(templates, { partials: false });
  for (const [root, occurrences] of Object.entries(globals)) {
    const keys = knownKeys[root];
    if (keys) {
      for (const occurrence of occurrences) {
        const key = occurrence.segments[1];
        if (typeof key !== 'string' || keys.has(key)) continue;
        errors.push({
          field,
          line: occurrence.location.row,
          column: occurrence.location.col,
          code: 'template_unknown_variable',
          message: `unknown variable "${root}.${key}": ${root} has ${[...keys].join(', ')}`,
        });
        break;
      }
      continue;
    }
    if (knownRoots.has(root)) continue;
    const first = occurrences[0];
    errors.push({
      field,
      line: first?.location.row ?? 0,
      column: first?.location.col ?? 0,
      code: 'template_unknown_variable',
      message: `unknown variable "${root}": templates can use ${CONTEXT_ROOTS.join(', ')}`,
    });
  }
  return errors;
}

/**
 * Checks a template before it is saved: required fields per channel, Liquid syntax (with the
 * 1-based line and column inside the field), unknown filters and tags, include/render (not
 * allowed), and variables outside the render context (`leed.firstName` would skip every lead).
 */
export function validateTemplate(template: MessageTemplate): ValidationResult {
  const errors = checkTemplateShape(template);
  if (template && typeof template === 'object' && CHANNELS.includes(template.channel)) {
    for (const field of liquidFields(template)) errors.push(...checkLiquidField(field));
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
