import { csvLine } from '../campaigns/report/csv-cell';
import type { WhatsappTemplate } from './whatsapp-template.entity';
import type { WhatsappTemplateResponse } from './whatsapp-templates.responses';

/**
 * The recipient columns every sample CSV starts with. The lead import reads them as: `country_code` +
 * `phone_number` → the E.164 phone, `first_name` → firstName, `whatsapp_opt_in` → consent.whatsapp
 * (yes/no); the placeholder columns become custom attributes the suggested spec names as `lead.<column>`.
 */
export const SAMPLE_RECIPIENT_COLUMNS = ['country_code', 'phone_number', 'first_name', 'whatsapp_opt_in'] as const;

const SAMPLE_RECIPIENTS = [
  ['1', '4155550101', 'Ann', 'yes'],
  ['44', '7911123456', 'Ben', 'yes'],
];

/** Liquid reading a placeholder's CSV column from the lead it became. */
const fromColumn = (column: string) => `{{ lead.${column} }}`;

export function suggestedSpec(t: WhatsappTemplate): WhatsappTemplateResponse['suggestedSpec'] {
  const of = (part: string) => t.placeholders.filter((p) => p.part === part);
  const buttons: string[] = [];
  for (const p of of('button')) buttons[p.buttonIndex ?? 0] = fromColumn(p.column);
  const media = of('header').find((p) => p.type === 'image' || p.type === 'video' || p.type === 'document');
  return {
    name: t.name,
    language: t.language,
    parameters: of('body').map((p) => fromColumn(p.column)),
    ...(t.parameterFormat === 'NAMED' ? { parameterNames: of('body').map((p) => p.key) } : {}),
    // A media header is one link (its sample-CSV column, e.g. header_image_url), not text parameters.
    headerParameters: media ? [] : of('header').map((p) => fromColumn(p.column)),
    ...(media ? { headerMedia: { format: media.type as 'image' | 'video' | 'document', link: fromColumn(media.column) } } : {}),
    // A hole would be a button without a URL placeholder; the renderer needs a dense list.
    buttonParameters: Array.from(buttons, (b) => b ?? ''),
  };
}

export function presentWhatsappTemplate(t: WhatsappTemplate): WhatsappTemplateResponse {
  return {
    id: t.id,
    channelId: t.channelId,
    wabaId: t.wabaId,
    externalId: t.externalId,
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.status,
    sendable: t.status === 'APPROVED',
    parameterFormat: t.parameterFormat,
    components: t.components,
    placeholders: t.placeholders,
    suggestedSpec: suggestedSpec(t),
    syncedAt: t.syncedAt,
  };
}

/** Exactly the columns the template needs after the recipient columns, with two example rows from Meta's examples. */
export function sampleCsv(t: WhatsappTemplate): string {
  const columns = [...SAMPLE_RECIPIENT_COLUMNS, ...t.placeholders.map((p) => p.column)];
  const rows = SAMPLE_RECIPIENTS.map((recipient) => [...recipient, ...t.placeholders.map((p) => p.example ?? `${p.part} ${p.key}`)]);
  return csvLine(columns) + rows.map((r) => csvLine(r)).join('');
}
