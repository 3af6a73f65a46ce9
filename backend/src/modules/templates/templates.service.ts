import { Injectable } from '@nestjs/common';
import { buildRenderContext, renderTemplate, sampleCampaign, sampleLead, TemplateRenderError, validateTemplate } from '@cadence/render';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { sentFields } from '../../common/http/validators';
import { Page } from '../../common/pagination/cursor';
import { paginate } from '../../common/pagination/paginate';
import { LeadsService, presentLead } from '../leads/leads.service';
import { Template } from './template.entity';
import { messageTemplateOf, type TemplateFields } from './message-template';
import { PreviewDraftTemplateDto, PreviewTemplateDto, UpdateTemplateDto } from './templates.dto';
import { deleteOwned } from '../../database/delete-owned';

/** Bodies arrive shaped by the DTOs (templates.dto.ts); here the channel's needs and the Liquid itself. */
export type TemplateInput = UpdateTemplateDto;
export type PreviewInput = PreviewTemplateDto;
export type PreviewDraftInput = PreviewDraftTemplateDto;

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
    const fields = checkFields({ name: input.name!.trim(), ...templateFields(input) });
    return this.repo.save(this.repo.create({ organizationId, ...fields, libraryCategory: input.libraryCategory ?? null }));
  }

  async update(organizationId: string, id: string, input: TemplateInput): Promise<Template> {
    const current = await this.get(organizationId, id);
    const merged = { ...present(current), ...sentFields(input) };
    const fields = checkFields({ name: merged.name.trim(), ...templateFields(merged) });
    await this.repo.update({ organizationId, id }, { ...fields, libraryCategory: merged.libraryCategory ?? null });
    return this.get(organizationId, id);
  }

  async get(organizationId: string, id: string): Promise<Template> {
    const row = await this.repo.findOneBy({ organizationId, id });
    if (!row) throw new AppError('template_not_found', `No template ${id}`);
    return row;
  }

  list(organizationId: string, channel: string | undefined, cursor: string | undefined, limit: number): Promise<Page<Template>> {
    // One-off templates are inbox replies' content, not the organization's templates.
    const qb = this.repo.createQueryBuilder('t').where('t.organization_id = :organizationId AND NOT t.one_off', { organizationId });
    if (channel) qb.andWhere('t.channel = :channel', { channel });
    return paginate(qb, 't', cursor, limit);
  }

  async remove(organizationId: string, id: string): Promise<void> {
    if (!(await deleteOwned(this.repo, organizationId, id))) throw new AppError('template_not_found', `No template ${id}`);
  }

  /** Renders a stored template with the same renderer the n8n nodes use, against a stored lead, given data, or sample data. */
  async preview(organizationId: string, id: string, input: PreviewInput) {
    return this.render(organizationId, await this.get(organizationId, id), input);
  }

  /** Renders an unsaved template (the editor's draft): validated like a save first, so Liquid errors carry line and column. */
  previewDraft(organizationId: string, input: PreviewDraftInput) {
    const fields = checkFields(templateFields(input));
    return this.render(organizationId, fields, input);
  }

  private async render(organizationId: string, template: TemplateFields, input: PreviewInput) {
    const lead = input.leadId ? presentLead(await this.leads.get(organizationId, input.leadId)) : (input.lead ?? sampleLead);
    // Previews show where the unsubscribe link goes without minting a real, working token.
    const unsubscribeUrl = 'https://unsubscribe.invalid/preview';
    const context = buildRenderContext({ lead: lead, campaign: sampleCampaign, tracking: { unsubscribeUrl } });
    try {
      return {
        lead,
        result: renderTemplate(
          messageTemplateOf(template),
          context,
          template.channel === 'email' ? { unsubscribe: { url: unsubscribeUrl } } : {},
        ),
      };
    } catch (error) {
      if (error instanceof TemplateRenderError) {
        throw new AppError('template_render_failed', error.message, {
          renderCode: error.code,
          field: error.field,
          line: error.line,
          column: error.column,
        });
      }
      throw error;
    }
  }
}

/** The stored shape of a template's channel fields: absent ones are null. */
function templateFields(input: PreviewDraftInput | TemplateInput): TemplateFields {
  return {
    channel: input.channel!,
    subject: input.subject ?? null,
    html: input.html ?? null,
    text: input.text ?? null,
    body: input.body ?? null,
    whatsapp: (input.whatsapp as Template['whatsapp'] | undefined) ?? null,
    voice: input.voice ?? null,
  };
}

/** Liquid validation and what the channel needs: a syntax error answers 422 with field, line and column. */
function checkFields<T extends TemplateFields>(fields: T): T {
  // Free WhatsApp text goes out only inside the 24-hour window a lead's own message opens: an inbox reply,
  // never a campaign template (outside the window Meta refuses it with 131047).
  if (fields.channel === 'whatsapp' && fields.whatsapp === null) {
    const message = 'a WhatsApp template names an approved Meta template (free text is only for inbox replies within 24 hours)';
    throw new AppError('template_invalid', `whatsapp: ${message}`, [
      { field: 'whatsapp', code: 'template_missing_field', message, line: 0, column: 0 },
    ]);
  }
  const result = validateTemplate(messageTemplateOf(fields));
  if (!result.ok) {
    const first = result.errors[0];
    throw new AppError('template_invalid', `${first.field} line ${first.line}, column ${first.column}: ${first.message}`, result.errors);
  }
  return fields;
}

export function present(t: Template) {
  return {
    id: t.id,
    name: t.name,
    channel: t.channel,
    subject: t.subject,
    html: t.html,
    text: t.text,
    body: t.body,
    whatsapp: t.whatsapp,
    voice: t.voice,
    libraryCategory: t.libraryCategory,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}
