import { LIBRARY_CATEGORIES, STARTER_ID_PATTERN, type LibraryCategory } from '@cadence/contracts';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DataSource, IsNull, Not } from 'typeorm';
import { AppError } from '../../../common/errors/app-error';
import { Template, type TemplateChannel } from '../template.entity';
import { TemplatesService } from '../templates.service';
import { findStarter, STARTER_TEMPLATES, type StarterTemplate } from './starter-templates';

export interface LibraryFilter {
  channel?: TemplateChannel;
  category?: LibraryCategory;
}

/** Enough for any team's own library; bounds the answer, which has no cursor. */
const MAX_ORGANIZATION_ENTRIES = 500;

/**
 * The template library: the built-in starters plus the templates this organization saved to it. Using
 * an entry copies it into an ordinary template, so edits never change the entry (or a starter).
 */
@Injectable()
export class TemplateLibraryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: TemplatesService,
  ) {}

  async list(organizationId: string, filter: LibraryFilter) {
    const starters = STARTER_TEMPLATES.filter((s) => matches(s.channel, s.category, filter)).map(presentStarter);
    const own = await this.dataSource.getRepository(Template).find({
      where: {
        organizationId,
        oneOff: false,
        libraryCategory: filter.category ?? Not(IsNull()),
        ...(filter.channel && { channel: filter.channel }),
      },
      order: { name: 'ASC', id: 'ASC' },
      take: MAX_ORGANIZATION_ENTRIES,
    });
    const byCategory = (a: { category: LibraryCategory }, b: { category: LibraryCategory }) =>
      LIBRARY_CATEGORIES.indexOf(a.category) - LIBRARY_CATEGORIES.indexOf(b.category);
    // The organization's own entries first: they are what the team wrote for itself.
    return { items: [...own.map(presentOwn).sort(byCategory), ...starters.sort(byCategory)] };
  }

  /** A new, editable template with the entry's content, out of the library itself. */
  async copy(organizationId: string, id: string, name: string | undefined): Promise<Template> {
    const entry = await this.find(organizationId, id);
    return this.templates.create(organizationId, {
      name: name?.trim() || entry.name,
      channel: entry.channel,
      subject: entry.subject,
      html: entry.html,
      text: entry.text,
      body: entry.body,
      whatsapp: entry.whatsapp ?? null,
      voice: entry.voice,
      libraryCategory: null,
    });
  }

  private async find(organizationId: string, id: string) {
    if (STARTER_ID_PATTERN.test(id)) {
      const starter = findStarter(id);
      if (starter) return presentStarter(starter);
    } else if (isUUID(id)) {
      const own = await this.dataSource
        .getRepository(Template)
        .findOneBy({ organizationId, id, oneOff: false, libraryCategory: Not(IsNull()) });
      if (own) return { ...presentOwn(own), name: `${own.name} (copy)` };
    }
    throw new AppError('library_template_not_found', `No library template ${id}`);
  }
}

function matches(channel: TemplateChannel, category: LibraryCategory, filter: LibraryFilter): boolean {
  return (!filter.channel || channel === filter.channel) && (!filter.category || category === filter.category);
}

function presentStarter(s: StarterTemplate) {
  return {
    id: s.id as string,
    source: 'starter' as const,
    name: s.name,
    channel: s.channel,
    category: s.category,
    description: s.description,
    subject: s.subject ?? null,
    html: s.html ?? null,
    text: s.text ?? null,
    body: s.body ?? null,
    whatsapp: s.whatsapp ?? null,
    voice: s.voice ?? null,
    updatedAt: null,
  };
}

function presentOwn(t: Template) {
  return {
    id: t.id,
    source: 'organization' as const,
    name: t.name,
    channel: t.channel,
    category: t.libraryCategory!,
    description: null,
    subject: t.subject,
    html: t.html,
    text: t.text,
    body: t.body,
    whatsapp: t.whatsapp,
    voice: t.voice,
    updatedAt: t.updatedAt,
  };
}
