import type { RenderResult, TemplateFieldError, VoiceTemplateSpec, WhatsAppTemplateSpec } from '@cadence/render';
import type { LibraryCategory } from '@cadence/contracts/src/template-library';
import { ApiError } from '../../api';

/** The preview answers' shapes are the renderer's own (@cadence/render, types only: nothing of liquidjs is bundled). */
export type { RenderResult, RenderedEmail, RenderedSms, RenderedVoice, RenderedWhatsApp } from '@cadence/render';

export const TEMPLATE_CHANNELS = ['email', 'sms', 'whatsapp', 'voice'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];
export const CHANNEL_LABELS: Record<TemplateChannel, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp', voice: 'Voice' };

/** A template as `/api/v1/templates` presents it (backend templates.service.ts `present`). */
export interface Template {
  id: string;
  name: string;
  channel: TemplateChannel;
  subject: string | null;
  html: string | null;
  text: string | null;
  body: string | null;
  whatsapp: WhatsAppTemplateSpec | null;
  voice: VoiceTemplateSpec | null;
  /** Saved in the organization's template library under this category; null when not. */
  libraryCategory: LibraryCategory | null;
  createdAt: string;
  updatedAt: string;
}

/** A library entry as `GET /templates/library` lists it: a built-in starter or the organization's saved template. */
export interface LibraryEntry {
  id: string;
  source: 'starter' | 'organization';
  name: string;
  channel: TemplateChannel;
  category: LibraryCategory;
  description: string | null;
  subject: string | null;
  html: string | null;
  text: string | null;
  body: string | null;
  whatsapp: WhatsAppTemplateSpec | null;
  voice: VoiceTemplateSpec | null;
  updatedAt: string | null;
}

/** What `POST /templates/preview` and `POST /templates/:id/preview` answer: the lead used and the rendered message. */
export interface PreviewAnswer {
  lead: Record<string, unknown>;
  result: RenderResult;
}

/** A problem located in one template field: `line`/`column` are 1-based inside the field, 0 when about the whole field. */
export type FieldProblem = Pick<TemplateFieldError, 'field' | 'line' | 'column' | 'message'> & { code: string };

/**
 * The located problems of an API error: `template_invalid` lists every field's problem, `template_render_failed`
 * names the field (and position when the renderer knows it) that failed.
 */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError)) return [];
  if (error.code === 'template_invalid' && Array.isArray(error.details)) return error.details as FieldProblem[];
  if (error.code === 'template_render_failed' && error.details && typeof error.details === 'object') {
    const d = error.details as { renderCode?: string; field?: string; line?: number; column?: number };
    if (d.field)
      return [{ field: d.field, line: d.line ?? 0, column: d.column ?? 0, message: error.message, code: d.renderCode ?? error.code }];
  }
  return [];
}

/** "line 3, column 7" or nothing when the problem is about the whole field. */
export const where = (p: FieldProblem) => (p.line > 0 ? `line ${p.line}, column ${p.column}` : '');
