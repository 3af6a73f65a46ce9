import { Injectable } from '@nestjs/common';
import { buildRenderContext, renderTemplate, sampleCampaign, sampleLead, TemplateRenderError, validateTemplate } from '@cadence/render';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { Page } from '../../common/pagination/cursor';
import { paginate } from '../../common/pagination/paginate';
import { LeadsService, presentLead } from '../leads/leads.service';
import { Template, TEMPLATE_CHANNELS, TemplateChannel } from './template.entity';

export interface TemplateInput {
  name?: unknown;
  channel?: unknown;
  subject?: unknown;
  html?: unknown;
  text?: unknown;
  body?: unknown;
  whatsapp?: unknown;
  voice?: unknown;
}

export interface PreviewInput {
  leadId?: string;
  lead?: Record<string, unknown>;
}

const TEXT_FIELDS = ['subject', 'html', 'text', 'body'] as const;

@Injectable()
export class TemplatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly leads: LeadsService,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(Template);
  }

  async create(organizationId: string, input: TemplateInput): Promise<Template> {
    const fields = this.check({ name: input.name, channel: input.channel, ...input });
    return this.repo.save(this.repo.create({ organizationId, ...fields }));
  }

  async update(organizationId: string, id: string, input: TemplateInput): Promise<Template> {
    const current = await this.get(organizationId, id);
    const fields = this.check({ ...present(current), ...input });
    await this.repo.update({ organizationId, id }, fields);
    return this.get(organizationId, id);
  }

  async get(organizationId: string, id: string): Promise<Template> {
    const row = await this.repo.findOneBy({ organizationId, id });
    if (!row) throw new AppError('template_not_found', `No template ${id}`);
    return row;
  }

  list(organizationId: string, channel: string | undefined, cursor: string | undefined, limit: number): Promise<Page<Template>> {
    const qb = this.repo.createQueryBuilder('t').where('t.organization_id = :organizationId', { organizationId });
    if (channel) qb.andWhere('t.channel = :channel', { channel });
    return paginate(qb, 't', cursor, limit);
  }

  async remove(organizationId: string, id: string): Promise<void> {
    const result = await this.repo.delete({ organizationId, id });
    if (!result.affected) throw new AppError('template_not_found', `No template ${id}`);
  }

  /** Renders with the same renderer the n8n nodes use, against a stored lead, given data, or sample data. */
  async preview(organizationId: string, id: string, input: PreviewInput) {
    const template = await this.get(organizationId, id);
    const lead = input.leadId ? presentLead(await this.leads.get(organizationId, input.leadId)) : (input.lead ?? sampleLead);
    // Previews show where the unsubscribe link goes without minting a real, working token.
    const unsubscribeUrl = 'https://unsubscribe.invalid/preview';
    const context = buildRenderContext({ lead: lead as never, campaign: sampleCampaign, tracking: { unsubscribeUrl } });
    try {
      return { lead, result: renderTemplate(toRenderable(template), context, template.channel === 'email' ? { unsubscribe: { url: unsubscribeUrl } } : {}) };
    } catch (error) {
      if (error instanceof TemplateRenderError) {
        throw new AppError('template_render_failed', error.message, { renderCode: error.code, field: error.field, line: error.line, column: error.column });
      }
      throw error;
    }
  }

  /** Shape checks, then Liquid validation: a syntax error answers 422 with field, line and column. */
  private check(input: TemplateInput) {
    if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 200) throw new AppError('validation_failed', 'name must be a non-empty string of at most 200 characters');
    if (!(TEMPLATE_CHANNELS as readonly unknown[]).includes(input.channel)) throw new AppError('validation_failed', `channel must be one of ${TEMPLATE_CHANNELS.join(', ')}`);
    for (const field of TEXT_FIELDS) {
      const v = input[field];
      if (v !== undefined && v !== null && typeof v !== 'string') throw new AppError('validation_failed', `${field} must be a string`);
    }
    for (const field of ['whatsapp', 'voice'] as const) {
      const v = input[field];
      if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v))) throw new AppError('validation_failed', `${field} must be an object`);
    }
    const fields = {
      name: input.name.trim(),
      channel: input.channel as TemplateChannel,
      subject: (input.subject as string | undefined) ?? null,
      html: (input.html as string | undefined) ?? null,
      text: (input.text as string | undefined) ?? null,
      body: (input.body as string | undefined) ?? null,
      whatsapp: (input.whatsapp as Template['whatsapp'] | undefined) ?? null,
      voice: (input.voice as Template['voice'] | undefined) ?? null,
    };
    const result = validateTemplate(toRenderable(fields));
    if (!result.ok) {
      const first = result.errors[0]!;
      throw new AppError('template_invalid', `${first.field} line ${first.line}, column ${first.column}: ${first.message}`, result.errors);
    }
    return fields;
  }
}

type Renderable = Parameters<typeof validateTemplate>[0];

function toRenderable(t: Pick<Template, 'channel' | 'subject' | 'html' | 'text' | 'body' | 'whatsapp' | 'voice'>): Renderable {
  return {
    channel: t.channel,
    ...(t.subject !== null && { subject: t.subject }),
    ...(t.html !== null && { html: t.html }),
    ...(t.text !== null && { text: t.text }),
    ...(t.body !== null && { body: t.body }),
    ...(t.whatsapp !== null && { whatsapp: t.whatsapp }),
    ...(t.voice !== null && { voice: t.voice }),
  } as Renderable;
}

export function present(t: Template) {
  return { id: t.id, name: t.name, channel: t.channel, subject: t.subject, html: t.html, text: t.text, body: t.body, whatsapp: t.whatsapp, voice: t.voice, createdAt: t.createdAt, updatedAt: t.updatedAt };
}
