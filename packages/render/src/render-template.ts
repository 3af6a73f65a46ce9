import { TemplateRenderError } from './errors';
import { resolveLimits } from './liquid-engine';
import type { RenderContext } from './render-context';
import { normalizeUnsubscribe, renderEmail } from './render-email';
import { RenderSession } from './render-session';
import { renderSms } from './render-sms';
import { renderVoice } from './render-voice';
import { renderWhatsApp } from './render-whatsapp';
import type { MessageTemplate, RenderOptions, RenderResult, RenderedMessage } from './types';
import { checkTemplateShape } from './validate-template';

/**
 * Renders one message for one lead. Synchronous: parsed templates are cached, nothing does I/O.
 *
 * Returns `{ status: "skipped", reason: "missing_variable", variables }` when an output uses a
 * variable that is undefined, null or "" without a `default` filter, so a blank never reaches a
 * customer. Throws TemplateRenderError for problems that are not about this lead (invalid
 * template, limits exceeded, unusable options).
 */
export function renderTemplate(template: MessageTemplate, context: RenderContext, options: RenderOptions = {}): RenderResult {
  const shapeErrors = checkTemplateShape(template);
  if (shapeErrors.length > 0) {
    throw new TemplateRenderError(
      'template_invalid',
      shapeErrors.map((error) => `${error.field}: ${error.message}`).join('; '),
      shapeErrors[0].field,
    );
  }
  const unsubscribe = options.unsubscribe ? normalizeUnsubscribe(options.unsubscribe) : undefined;
  const scope: RenderContext = unsubscribe ? { ...context, unsubscribe_url: unsubscribe.url, unsubscribeUrl: unsubscribe.url } : context;
  const session = new RenderSession(scope, resolveLimits(options.limits));

  let rendered: RenderedMessage | undefined;
  switch (template.channel) {
    case 'email':
      rendered = renderEmail(template, session, options, unsubscribe);
      break;
    case 'sms':
      rendered = renderSms(template, session);
      break;
    case 'whatsapp':
      rendered = renderWhatsApp(template, session);
      break;
    case 'voice':
      rendered = renderVoice(template, session, scope);
      break;
  }
  if (rendered === undefined) {
    return { status: 'skipped', reason: 'missing_variable', variables: [...session.missing] };
  }
  return rendered;
}
