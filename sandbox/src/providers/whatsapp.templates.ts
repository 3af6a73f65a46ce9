/**
 * Message templates of a WhatsApp Business Account, shaped like the Graph API's
 * `GET /{waba-id}/message_templates`, and the checks a send of `type: template` meets at Meta:
 * unknown name/language (132001), paused (132015), disabled (132016), parameter count (132000).
 */

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'IN_APPEAL' | 'PENDING_DELETION';
export const TEMPLATE_STATUSES: readonly TemplateStatus[] = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'PENDING_DELETION',
];

export interface GraphTemplateComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
  text?: string;
  buttons?: { type: 'URL' | 'QUICK_REPLY' | 'PHONE_NUMBER'; text: string; url?: string; phone_number?: string; example?: string[] }[];
  example?: Record<string, unknown>;
}

export interface GraphTemplate {
  id: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  parameter_format: 'POSITIONAL' | 'NAMED';
  components: GraphTemplateComponent[];
}

/** Every account starts with these, so a newcomer has something to pick; `_sandbox` control replaces them per account. */
export function defaultTemplates(): GraphTemplate[] {
  return [
    {
      id: '1000000000000001',
      name: 'spring_offer',
      language: 'en_US',
      status: 'APPROVED',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'Hi {{1}}, spring prices are here.', example: { body_text: [['Ann']] } }],
    },
    {
      id: '1000000000000006',
      name: 'summer_launch',
      language: 'en_US',
      status: 'APPROVED',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Summer sale, {{1}}', example: { header_text: ['Ann'] } },
        { type: 'BODY', text: 'Hi {{1}}, take {{2}} off everything this week.', example: { body_text: [['Ann', '20%']] } },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Shop now', url: 'https://shop.example.com/s/{{1}}', example: ['summer'] }] },
      ],
    },
    {
      id: '1000000000000002',
      name: 'order_update',
      language: 'en_US',
      status: 'APPROVED',
      category: 'UTILITY',
      parameter_format: 'NAMED',
      components: [
        {
          type: 'BODY',
          text: 'Hello {{first_name}}, your order {{order_id}} has shipped.',
          example: {
            body_text_named_params: [
              { param_name: 'first_name', example: 'Ann' },
              { param_name: 'order_id', example: 'A-1001' },
            ],
          },
        },
      ],
    },
    {
      id: '1000000000000003',
      name: 'winter_promo',
      language: 'en_US',
      status: 'PAUSED',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'Winter deals for {{1}}', example: { body_text: [['Ann']] } }],
    },
    {
      id: '1000000000000004',
      name: 'old_newsletter',
      language: 'en_US',
      status: 'DISABLED',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'Our news this month' }],
    },
    {
      id: '1000000000000005',
      name: 'loyalty_bonus',
      language: 'en_US',
      status: 'REJECTED',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'You earned {{1}} points', example: { body_text: [['50']] } }],
    },
  ];
}

const POSITIONAL = /\{\{\s*(\d+)\s*\}\}/g;
const NAMED = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/** Distinct placeholders of a text: `{{1}}`… or `{{name}}`… */
export function placeholdersIn(text: string | undefined): string[] {
  if (!text) return [];
  const found = new Set<string>();
  for (const m of text.matchAll(POSITIONAL)) found.add(m[1]);
  for (const m of text.matchAll(NAMED)) found.add(m[1]);
  return [...found];
}

/** How many parameters each part of a send must carry for this template. */
export function expectedParameters(t: GraphTemplate): { header: number; body: number; buttons: Map<number, number> } {
  const header = t.components.find((c) => c.type === 'HEADER');
  const body = t.components.find((c) => c.type === 'BODY');
  const buttons = new Map<number, number>();
  t.components
    .find((c) => c.type === 'BUTTONS')
    ?.buttons?.forEach((b, i) => {
      if (b.type === 'URL' && placeholdersIn(b.url).length > 0) buttons.set(i, 1);
    });
  const headerCount = header ? (header.format && header.format !== 'TEXT' ? 1 : placeholdersIn(header.text).length) : 0;
  return { header: headerCount, body: placeholdersIn(body?.text).length, buttons };
}

interface SentComponent {
  type?: unknown;
  index?: unknown;
  sub_type?: unknown;
  parameters?: unknown;
}

/** What a send gave: parameter counts per part. */
export function givenParameters(components: unknown): { header: number; body: number; buttons: Map<number, number> } {
  const given = { header: 0, body: 0, buttons: new Map<number, number>() };
  if (!Array.isArray(components)) return given;
  for (const c of components as SentComponent[]) {
    const n = Array.isArray(c.parameters) ? c.parameters.length : 0;
    const type = String(c.type ?? '').toLowerCase();
    if (type === 'header') given.header += n;
    else if (type === 'body') given.body += n;
    else if (type === 'button') given.buttons.set(Number(c.index ?? 0), n);
  }
  return given;
}

/** The parameter_name of each body parameter of a send (empty string when unnamed). */
function namedBodyParameters(components: unknown): string[] {
  if (!Array.isArray(components)) return [];
  const body = (components as SentComponent[]).find((c) => String(c.type ?? '').toLowerCase() === 'body');
  return Array.isArray(body?.parameters)
    ? (body.parameters as { parameter_name?: unknown }[]).map((p) => String(p.parameter_name ?? ''))
    : [];
}

export type TemplateSendProblem = { status: number; code: number; message: string; details: string };

/** The Graph answer a template send meets, or undefined when Meta would accept it. */
export function checkTemplateSend(
  t: GraphTemplate | undefined,
  name: string,
  language: string,
  components: unknown,
): TemplateSendProblem | undefined {
  if (!t || t.status === 'PENDING_DELETION')
    return {
      status: 404,
      code: 132001,
      message: '(#132001) Template name does not exist in the translation',
      details: `template name (${name}) does not exist in ${language}`,
    };
  if (t.status === 'PAUSED')
    return { status: 400, code: 132015, message: '(#132015) Template is Paused', details: `Template ${name} is paused due to low quality` };
  if (t.status === 'DISABLED')
    return { status: 400, code: 132016, message: '(#132016) Template is Disabled', details: `Template ${name} has been disabled` };
  if (t.status !== 'APPROVED')
    return {
      status: 404,
      code: 132001,
      message: '(#132001) Template name does not exist in the translation',
      details: `template name (${name}) is not approved (${t.status})`,
    };
  const want = expectedParameters(t);
  const got = givenParameters(components);
  const mismatch = (part: string, w: number, g: number) => ({
    status: 400,
    code: 132000,
    message: '(#132000) Number of parameters does not match the expected number of params',
    details: `${part}: number of localizable_params (${g}) does not match the expected number of params (${w})`,
  });
  if (want.header !== got.header) return mismatch('header', want.header, got.header);
  if (t.parameter_format === 'NAMED') {
    // Meta matches named values by parameter_name: each body placeholder must be named once.
    const body = t.components.find((c) => c.type === 'BODY');
    const names = namedBodyParameters(components);
    const expected = placeholdersIn(body?.text);
    if (expected.some((n) => !names.includes(n)) || names.length !== expected.length)
      return {
        status: 400,
        code: 132000,
        message: '(#132000) Number of parameters does not match the expected number of params',
        details: `body: named parameters (${names.join(', ') || 'none'}) do not match the template's (${expected.join(', ')})`,
      };
  }
  if (want.body !== got.body) return mismatch('body', want.body, got.body);
  for (const [index, w] of want.buttons) {
    const g = got.buttons.get(index) ?? 0;
    if (g !== w) return mismatch(`button ${index}`, w, g);
  }
  return undefined;
}

/**
 * The catalog of each account. An account whose templates were never set through the control API
 * serves the defaults and, like unregistered credentials, accepts template names it does not know;
 * once set as a whole, an unknown name is answered 132001 as Meta does. Known
 * templates are always checked (status, parameter counts).
 */
export class WhatsappTemplateCatalog {
  private readonly byWaba = new Map<string, GraphTemplate[]>();
  /** Accounts whose catalog was set as a whole: unknown names are refused there. */
  private readonly strict = new Set<string>();

  templates(wabaId: string): GraphTemplate[] {
    return this.byWaba.get(wabaId) ?? defaultTemplates();
  }

  refusesUnknown(wabaId: string): boolean {
    return this.strict.has(wabaId);
  }

  set(wabaId: string, templates: GraphTemplate[]): void {
    this.byWaba.set(wabaId, templates);
    this.strict.add(wabaId);
  }

  /** Changes one template's status (what Meta's review or quality rating does); answers the template or undefined. */
  setStatus(wabaId: string, name: string, language: string | undefined, status: TemplateStatus): GraphTemplate | undefined {
    const list = this.templates(wabaId).map((t) => ({ ...t }));
    const hit = list.find((t) => t.name === name && (language === undefined || t.language === language));
    if (!hit) return undefined;
    hit.status = status;
    this.byWaba.set(wabaId, list);
    return hit;
  }

  hasName(wabaId: string, name: string): boolean {
    return this.templates(wabaId).some((t) => t.name === name);
  }

  find(wabaId: string, name: string, language: string): GraphTemplate | undefined {
    return this.templates(wabaId).find((t) => t.name === name && t.language === language);
  }

  clear(): void {
    this.byWaba.clear();
    this.strict.clear();
  }
}
