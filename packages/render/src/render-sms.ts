import { TemplateRenderError } from './errors';
import { textEngine } from './liquid-engine';
import type { RenderSession } from './render-session';
import { countSmsSegments } from './sms-segments';
import type { MessageTemplate, RenderedSms } from './types';

export function renderSms(template: MessageTemplate, session: RenderSession): RenderedSms | undefined {
  // Leading/trailing whitespace (a template textarea's final newline) would cost characters
  // and sometimes a whole extra segment.
  const body = session.render(textEngine, template.body ?? '', 'body').trim();
  if (session.hasMissing) return undefined;
  if (body === '') throw new TemplateRenderError('render_invalid_output', 'sms body rendered empty', 'body');
  return { status: 'rendered', channel: 'sms', body, ...countSmsSegments(body) };
}
