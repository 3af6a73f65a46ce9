import type { WhatsAppTemplateSpec } from '@cadence/contracts';
import { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import type { TemplatePlaceholder } from './whatsapp-template.entity';

/**
 * How a campaign template's WhatsApp parameters fail to fit the template Meta approved, as sentences;
 * empty when they fit. The renderer fills `headerParameters` into a text header (`headerMedia` into a media
 * one), `parameters` into the
 * body in order, and `buttonParameters[i]` into the URL suffix of button index i (packages/render).
 */
export function parameterMismatches(placeholders: TemplatePlaceholder[], spec: Partial<WhatsAppTemplateSpec>): string[] {
  const problems: string[] = [];
  const header = placeholders.filter((p) => p.part === 'header');
  const body = placeholders.filter((p) => p.part === 'body');
  const buttons = placeholders.filter((p) => p.part === 'button');
  const media = header.find((p) => p.type !== 'text');
  if (media) {
    if (!['image', 'video', 'document'].includes(media.type))
      problems.push(`the header is a ${media.type}, which a campaign template cannot fill`);
    else if (!spec.headerMedia) problems.push(`the header is ${article(media.type)} ${media.type}: the template gives no headerMedia link`);
    else if (spec.headerMedia.format !== media.type)
      problems.push(
        `the header is ${article(media.type)} ${media.type}, the template's headerMedia is ${article(spec.headerMedia.format)} ${spec.headerMedia.format}`,
      );
  } else if (spec.headerMedia) {
    problems.push(`headerMedia is given but the template's header is ${header.length ? 'text' : 'absent'}`);
  } else if (header.length !== (spec.headerParameters?.length ?? 0)) {
    problems.push(
      `the header has ${header.length} placeholder(s), the template gives ${spec.headerParameters?.length ?? 0} headerParameters`,
    );
  }
  if (body.length !== (spec.parameters?.length ?? 0))
    problems.push(`the body has ${body.length} placeholder(s), the template gives ${spec.parameters?.length ?? 0} parameters`);
  // Named placeholders are filled by name: each must be named once, in parameterNames.
  const named = body.filter((p) => !/^\d+$/.test(p.key)).map((p) => p.key);
  if (named.length) {
    const given = spec.parameterNames ?? [];
    const missing = named.filter((k) => !given.includes(k));
    if (missing.length || given.length !== named.length)
      problems.push(`the body's named placeholders are ${named.join(', ')}; parameterNames gives ${given.join(', ') || 'none'}`);
  }
  const wanted = new Set(buttons.map((b) => b.buttonIndex ?? 0));
  const given = new Set((spec.buttonParameters ?? []).map((_, i) => i));
  for (const i of wanted) if (!given.has(i)) problems.push(`button ${i} has a URL suffix placeholder and no buttonParameters[${i}]`);
  for (const i of given) if (!wanted.has(i)) problems.push(`buttonParameters[${i}] is given but button ${i} has no URL placeholder`);
  return problems;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

interface StepTemplateRow {
  position: number;
  /** The A/B variant's label, null for the step's own template. */
  variant: string | null;
  template_name: string;
  spec: Partial<WhatsAppTemplateSpec> | null;
  channel_id: string | null;
  waba_id: string | null;
  status: string | null;
  placeholders: TemplatePlaceholder[] | null;
}

export interface WhatsappTemplateProblem {
  code: 'whatsapp_template_not_approved' | 'whatsapp_template_parameters_mismatch';
  message: string;
  details: Record<string, unknown>;
}

/**
 * Before launch: every WhatsApp step (and each of its A/B variants) whose sending channel has a business account (so a synced catalog)
 * must name a template that catalog holds as APPROVED, with parameters that fit it. Meta would refuse
 * each send otherwise (132001 / 132015 / 132016 / 132000). A channel without a businessAccountId has no
 * catalog to check against and is not checked. Every problem, in step order (the pre-launch check lists them).
 */
export async function whatsappTemplateProblems(
  m: EntityManager,
  organizationId: string,
  campaignId: string,
): Promise<WhatsappTemplateProblem[]> {
  const rows: StepTemplateRow[] = await m.query(
    // The step's template and its A/B variants' (variant A is the step's own template).
    `SELECT s.position, st.variant, t.name AS template_name, t.whatsapp AS spec, ch.id AS channel_id, ch.config ->> 'businessAccountId' AS waba_id,
            wt.status, wt.placeholders
       FROM campaign_steps s
       JOIN campaigns c ON c.id = s.campaign_id
      CROSS JOIN LATERAL (
            SELECT s.template_id, NULL::text AS variant
             UNION ALL
            SELECT v.template_id, v.label FROM campaign_step_variants v
             WHERE v.step_id = s.id AND v.organization_id = c.organization_id AND v.template_id <> s.template_id) st
       JOIN templates t ON t.id = st.template_id AND t.organization_id = c.organization_id
       LEFT JOIN channel_connections ch ON ch.id = COALESCE(s.sender_channel_id, c.sender_channel_id) AND ch.organization_id = c.organization_id
       LEFT JOIN whatsapp_templates wt ON wt.channel_id = ch.id AND wt.name = t.whatsapp ->> 'name' AND wt.language = t.whatsapp ->> 'language'
      WHERE c.organization_id = $1 AND c.id = $2 AND t.channel = 'whatsapp'
      ORDER BY s.position, st.variant NULLS FIRST`,
    [organizationId, campaignId],
  );
  const problems: WhatsappTemplateProblem[] = [];
  for (const row of rows) {
    if (!row.channel_id || !row.waba_id) continue;
    const label = `Step ${row.position + 1}${row.variant ? ` variant ${row.variant}` : ''} (template "${row.template_name}")`;
    const named = `${row.spec?.name ?? '?'} (${row.spec?.language ?? '?'})`;
    if (row.status !== 'APPROVED') {
      problems.push({
        code: 'whatsapp_template_not_approved',
        message: row.status
          ? `${label}: WhatsApp template ${named} is ${row.status} at Meta; only APPROVED templates can be sent`
          : `${label}: WhatsApp template ${named} is not in the channel's synced catalog; sync the templates (POST /api/v1/whatsapp/templates/sync) or pick an approved one`,
        details: { step: row.position, name: row.spec?.name, language: row.spec?.language, status: row.status },
      });
      continue;
    }
    const mismatches = parameterMismatches(row.placeholders ?? [], row.spec ?? {});
    if (mismatches.length)
      problems.push({
        code: 'whatsapp_template_parameters_mismatch',
        message: `${label}: ${mismatches.join('; ')}`,
        details: { step: row.position, problems: mismatches },
      });
  }
  return problems;
}

/** Launch refuses the first problem with its own code (what clients already handle). */
export async function assertWhatsappTemplatesSendable(m: EntityManager, organizationId: string, campaignId: string): Promise<void> {
  const [first] = await whatsappTemplateProblems(m, organizationId, campaignId);
  if (first) throw new AppError(first.code, first.message, first.details);
}
