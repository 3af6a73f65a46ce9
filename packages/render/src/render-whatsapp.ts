import { TemplateRenderError } from './errors';
import { textEngine } from './liquid-engine';
import type { RenderSession } from './render-session';
import { publicHttpsUrlProblem } from './public-url';
import type { MessageTemplate, RenderedWhatsApp, WhatsAppComponent, WhatsAppMediaParameter, WhatsAppTextParameter } from './types';

/**
 * The Cloud API rejects parameters containing newlines, tabs or more than four consecutive
 * spaces (error 132018), so values coming from lead data are flattened instead of failing.
 */
function toWhatsAppText(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {5,}/g, '    ')
    .trim();
}

function renderParameters(sources: readonly string[] | undefined, list: string, session: RenderSession): WhatsAppTextParameter[] {
  return (sources ?? []).map((source, i) => ({
    type: 'text' as const,
    text: toWhatsAppText(session.render(textEngine, source, `whatsapp.${list}[${i}]`)),
  }));
}

/** A media header's parameter: its link rendered, and refused unless it is a public https URL (Meta fetches it). */
function renderHeaderMedia(spec: NonNullable<MessageTemplate['whatsapp']>, session: RenderSession): WhatsAppMediaParameter | undefined {
  const media = spec.headerMedia;
  if (!media) return undefined;
  const link = session.render(textEngine, media.link, 'whatsapp.headerMedia.link').trim();
  if (session.hasMissing) return undefined;
  const problem = publicHttpsUrlProblem(link);
  if (problem) {
    throw new TemplateRenderError(
      'render_invalid_output',
      `whatsapp.headerMedia.link rendered "${link.slice(0, 200)}", which ${problem}`,
      'whatsapp.headerMedia.link',
    );
  }
  if (media.format === 'document') {
    const filename = media.filename ? toWhatsAppText(session.render(textEngine, media.filename, 'whatsapp.headerMedia.filename')) : '';
    return { type: 'document', document: { link, ...(filename ? { filename } : {}) } };
  }
  return media.format === 'image' ? { type: 'image', image: { link } } : { type: 'video', video: { link } };
}

/**
 * Builds the Cloud API `template.components`: `parameters[i]` fills body placeholder `{{i+1}}`,
 * `headerParameters` the text header (or `headerMedia` a media one), `buttonParameters[i]` the URL suffix
 * of button index i.
 * Empty groups are omitted because the API rejects components without parameters.
 */
/** Meta's limit on a text message's body. */
export const WHATSAPP_TEXT_MAX_CHARS = 4096;

/** A session message: free text, sent as written (line breaks allowed), inside the 24-hour window only. */
function renderSessionText(template: MessageTemplate, session: RenderSession): RenderedWhatsApp | undefined {
  const text = session.render(textEngine, template.body ?? '', 'body').trim();
  if (session.hasMissing) return undefined;
  if (text === '') throw new TemplateRenderError('render_invalid_output', 'the WhatsApp text rendered empty', 'body');
  if (text.length > WHATSAPP_TEXT_MAX_CHARS) {
    throw new TemplateRenderError(
      'render_invalid_output',
      `the WhatsApp text rendered ${text.length} characters; WhatsApp takes at most ${WHATSAPP_TEXT_MAX_CHARS}`,
      'body',
    );
  }
  return { status: 'rendered', channel: 'whatsapp', name: '', language: '', components: [], text };
}

export function renderWhatsApp(template: MessageTemplate, session: RenderSession): RenderedWhatsApp | undefined {
  if (!template.whatsapp) return renderSessionText(template, session);
  const spec = template.whatsapp;
  const header = renderParameters(spec.headerParameters, 'headerParameters', session);
  // A named template's values say which placeholder they fill; Meta matches them by name, not order.
  const body = renderParameters(spec.parameters, 'parameters', session).map((p, i) =>
    spec.parameterNames?.[i] ? { ...p, parameter_name: spec.parameterNames[i] } : p,
  );
  const buttons = renderParameters(spec.buttonParameters, 'buttonParameters', session);
  const media = renderHeaderMedia(spec, session);
  if (session.hasMissing) return undefined;

  for (const [list, parameters] of [
    ['headerParameters', header],
    ['parameters', body],
    ['buttonParameters', buttons],
  ] as const) {
    const empty = parameters.findIndex((parameter) => parameter.text === '');
    if (empty !== -1) {
      throw new TemplateRenderError(
        'render_invalid_output',
        `whatsapp.${list}[${empty}] rendered empty; WhatsApp rejects empty parameters`,
        `whatsapp.${list}[${empty}]`,
      );
    }
  }

  const components: WhatsAppComponent[] = [];
  // A media header replaces a text one: a template's header is either.
  if (media) components.push({ type: 'header', parameters: [media] });
  else if (header.length > 0) components.push({ type: 'header', parameters: header });
  if (body.length > 0) components.push({ type: 'body', parameters: body });
  buttons.forEach((parameter, index) => {
    components.push({ type: 'button', sub_type: 'url', index: String(index), parameters: [parameter] });
  });
  return { status: 'rendered', channel: 'whatsapp', name: spec.name, language: spec.language, components };
}
