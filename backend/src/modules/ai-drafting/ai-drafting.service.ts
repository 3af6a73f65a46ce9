import { AiTemplateDraftSchema, parseContract, type AiTemplateDraft } from '@cadence/contracts';
import { validateTemplate } from '@cadence/render';
import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { sentFields } from '../../common/http/validators';
import { messageTemplateOf, type TemplateFields } from '../templates/message-template';
import type { TemplateChannel } from '../templates/template.entity';
import { AiSettingsService } from './ai-settings.service';
import { DraftAction, DraftTemplateDto, TemplateDraftResponse } from './ai-drafting.dto';
import { chatCompletion, type ChatMessage } from './chat-completions.client';

/** An action's source draft, as JSON, may be at most this long (it travels to the provider in the prompt). */
export const MAX_SOURCE_CHARS = 30_000;
const DEFAULT_FIELDS = ['first_name'];

const CHANNEL_SHAPES: Record<TemplateChannel, string> = {
  email: '{"subject": "…", "html": "<p>…</p>", "text": "…"} (subject and html are required; text is the plain-text version)',
  sms: '{"body": "…"} (one SMS, at most 320 characters)',
  whatsapp:
    '{"whatsapp": {"name": "lowercase_name_with_underscores", "language": "en_US", "parameters": ["{{ lead.first_name | default: \\"there\\" }}", "…"]}} (the name of the template to submit to Meta, and the Liquid value of each body placeholder {{1}}, {{2}}… in order)',
  voice: '{"voice": {"mode": "say", "script": "…"}} (a script read aloud by text-to-speech, at most 90 seconds)',
};

const ACTIONS: Record<DraftAction, string> = {
  rewrite: 'Rewrite this template: same purpose and channel, fresh wording, clearer and more persuasive.',
  shorten: 'Shorten this template to about half its length, keeping its purpose, its call to action and its Liquid variables.',
  variant: 'Write variant B of this template for an A/B test: same purpose and channel, a clearly different angle or hook.',
};

/**
 * Drafts a template with the organization's AI provider: asks for JSON in the channel's shape, parses it (zod) and
 * validates it like a save (@cadence/render validateTemplate). A completion that fails either is answered once more
 * with the problems; a second failure is `ai_draft_invalid`. Nothing is saved.
 */
@Injectable()
export class AiDraftingService {
  private readonly logger = new Logger(AiDraftingService.name);

  constructor(private readonly settings: AiSettingsService) {}

  async draft(organizationId: string, input: DraftTemplateDto): Promise<TemplateDraftResponse> {
    const request = shape(input);
    const provider = await this.settings.open(organizationId);
    const messages: ChatMessage[] = [
      { role: 'system', content: systemPrompt(request.channel, request.fields) },
      { role: 'user', content: userPrompt(input, request.source) },
    ];
    let problems: string[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      let completion: { content: string; model: string };
      try {
        completion = await chatCompletion(provider, messages);
      } catch (error) {
        if (error instanceof AppError)
          this.logger.warn(`AI draft for organization ${organizationId} failed: ${error.code} (attempt ${attempt})`);
        throw error;
      }
      const result = check(request.channel, completion.content);
      if (result.ok) return { ...result.draft, model: completion.model };
      problems = result.problems;
      messages.push(
        { role: 'assistant', content: completion.content.slice(0, 20_000) },
        {
          role: 'user',
          content: `That answer cannot be used: ${problems.join('; ')}. Answer again with only the JSON object ${CHANNEL_SHAPES[request.channel]}.`,
        },
      );
    }
    this.logger.warn(`AI draft for organization ${organizationId} was invalid twice: ${problems.join('; ').slice(0, 500)}`);
    throw new AppError(
      'ai_draft_invalid',
      `The AI provider's draft was not a valid ${request.channel} template: ${problems.join('; ')}`.slice(0, 1000),
      {
        problems,
      },
    );
  }
}

interface DraftRequest {
  channel: TemplateChannel;
  fields: string[];
  source?: Record<string, unknown>;
}

/** What the body asks for: a new draft needs goal and channel; an action needs its source, whose channel it keeps. */
function shape(input: DraftTemplateDto): DraftRequest {
  const fields = input.fields?.length ? [...new Set(input.fields)] : DEFAULT_FIELDS;
  if (input.action === undefined) {
    if (input.source !== undefined) throw invalid('source', 'source goes with an action (rewrite, shorten or variant)');
    return { channel: input.channel!, fields };
  }
  const source = sentFields(input.source!) as Record<string, unknown>;
  if (input.channel !== undefined && input.channel !== source.channel)
    throw invalid('channel', `channel ${input.channel} differs from the source's (${String(source.channel)})`);
  if (JSON.stringify(source).length > MAX_SOURCE_CHARS)
    throw invalid('source', `source must be at most ${MAX_SOURCE_CHARS} characters as JSON`);
  return { channel: source.channel as TemplateChannel, fields, source };
}

function invalid(field: string, message: string): AppError {
  return new AppError('validation_failed', message, [{ field, message }]);
}

function systemPrompt(channel: TemplateChannel, fields: string[]): string {
  return [
    `You write ${channel} message templates for outbound campaigns.`,
    `Answer with exactly one JSON object and nothing else, of this shape: ${CHANNEL_SHAPES[channel]}.`,
    'Templates are Liquid. Lead data is {{ lead.<field> }}; give every variable a fallback with the default filter, e.g. {{ lead.first_name | default: "there" }}.',
    `Use only these lead fields: ${fields.join(', ')}. Use no other Liquid tags or variables.`,
    channel === 'email' ? 'An unsubscribe link is added automatically: do not write one.' : '',
    'Write plainly, without placeholders in brackets, and never invent facts, prices or dates the request does not give.',
  ]
    .filter(Boolean)
    .join('\n');
}

function userPrompt(input: DraftTemplateDto, source: Record<string, unknown> | undefined): string {
  const lines: string[] = [];
  if (input.action !== undefined && source) {
    lines.push(ACTIONS[input.action]);
    const { channel: _channel, ...fields } = source;
    lines.push(`Template: ${JSON.stringify(fields)}`);
    if (input.goal) lines.push(`Also: ${input.goal}`);
  } else {
    lines.push(`Goal: ${input.goal}`);
  }
  if (input.audience) lines.push(`Audience: ${input.audience}`);
  if (input.tone) lines.push(`Tone: ${input.tone}`);
  return lines.join('\n');
}

type Checked = { ok: true; draft: Omit<TemplateDraftResponse, 'model'> } | { ok: false; problems: string[] };

/** The completion's JSON (a ```json fence tolerated), parsed with the draft schema, then validated like a save. */
export function check(channel: TemplateChannel, content: string): Checked {
  const text = content
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problems: ['the answer is not a JSON object'] };
  }
  const parsed = parseContract(AiTemplateDraftSchema, json);
  if (!parsed.ok) return { ok: false, problems: parsed.issues.slice(0, 10).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)) };
  const draft = forChannel(channel, parsed.data);
  const result = validateTemplate(messageTemplateOf({ ...draft, channel } as TemplateFields));
  if (!result.ok)
    return { ok: false, problems: result.errors.slice(0, 10).map((e) => `${e.field} line ${e.line}, column ${e.column}: ${e.message}`) };
  return { ok: true, draft };
}

/** Only the fields the channel uses; the others are null, as in a stored template. */
function forChannel(channel: TemplateChannel, d: AiTemplateDraft): Omit<TemplateDraftResponse, 'model'> {
  const none = { subject: null, html: null, text: null, body: null, whatsapp: null, voice: null };
  switch (channel) {
    case 'email':
      return { ...none, channel, subject: d.subject ?? null, html: d.html ?? null, text: d.text ?? null };
    case 'sms':
      return { ...none, channel, body: d.body ?? null };
    case 'whatsapp':
      return { ...none, channel, whatsapp: d.whatsapp ?? null };
    case 'voice':
      return { ...none, channel, voice: d.voice ? { mode: 'say', ...d.voice } : null };
  }
}
