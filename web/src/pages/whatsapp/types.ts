import type { WhatsAppTemplateSpec } from '@cadence/render';

/** GET /whatsapp/templates items (backend whatsapp-templates.responses.ts). */
export interface TemplatePlaceholder {
  part: 'header' | 'body' | 'button';
  key: string;
  buttonIndex?: number;
  type: 'text' | 'image' | 'video' | 'document' | 'location';
  example?: string;
  column: string;
}

export interface GraphComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: Array<{ type: string; text: string; url?: string }>;
}

export interface WhatsappTemplate {
  id: string;
  channelId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  sendable: boolean;
  parameterFormat: string;
  components: GraphComponent[];
  placeholders: TemplatePlaceholder[];
  /** The campaign template spec that fills every placeholder from its sample-CSV column. */
  suggestedSpec: WhatsAppTemplateSpec;
  syncedAt: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The template's texts with each placeholder shown as its example (or its sample CSV column), as the recipient reads it. */
export function renderPreview(t: WhatsappTemplate): { header?: string; body: string; footer?: string; buttons: string[] } {
  const value = (part: 'header' | 'body', key: string) => {
    const p = t.placeholders.find((x) => x.part === part && x.key === key);
    return p ? (p.example ?? `[${p.column}]`) : `{{${key}}}`;
  };
  const fill = (part: 'header' | 'body', text: string | undefined) => text?.replace(PLACEHOLDER, (_, key: string) => value(part, key));
  const of = (type: string) => t.components.find((c) => c.type.toUpperCase() === type);
  const header = of('HEADER');
  const headerText =
    header && (header.format ?? 'TEXT').toUpperCase() === 'TEXT'
      ? fill('header', header.text)
      : header
        ? `[${header.format?.toLowerCase()}]`
        : undefined;
  return {
    ...(headerText !== undefined ? { header: headerText } : {}),
    body: fill('body', of('BODY')?.text) ?? '',
    ...(of('FOOTER')?.text ? { footer: of('FOOTER')!.text } : {}),
    buttons: (of('BUTTONS')?.buttons ?? []).map((b) => b.text),
  };
}
