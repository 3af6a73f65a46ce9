import { ApiError } from '../../../api';
import type { CampaignSettings } from '../types';

/**
 * The problems a refused save names per settings field (`settings.voicemailScript`, `settings.sendWindow.end`),
 * keyed as the Settings step keys its own (`voicemailScript`, `sendWindow.end`) to sit under the field: a Liquid
 * error with its line and column (`template_invalid`) or a validation message (`validation_failed`). Only those about a value still as it was
 * sent: once the user changes the field, the server has not judged it yet.
 */
export function settingsProblems(error: unknown, sent: CampaignSettings | undefined, now: CampaignSettings): Record<string, string> {
  if (!(error instanceof ApiError) || !sent || !Array.isArray(error.details)) return {};
  // A nested field (`sendWindow.end`) is judged with its setting as a whole (an end is refused for its start):
  // any change to the window ends the verdict.
  const value = (s: CampaignSettings, key: string) => JSON.stringify((s as Record<string, unknown>)[key.split('.')[0]!]);
  const out: Record<string, string> = {};
  for (const d of error.details as Array<{ field?: unknown; message?: unknown; line?: unknown; column?: unknown }>) {
    if (typeof d?.field !== 'string' || !d.field.startsWith('settings.') || typeof d.message !== 'string') continue;
    const key = d.field.slice('settings.'.length);
    if (value(sent, key) !== value(now, key)) continue;
    const where = typeof d.line === 'number' && d.line > 0 ? `Line ${d.line}, column ${String(d.column)}: ` : '';
    out[key] = out[key] ? `${out[key]}; ${where}${d.message}` : `${where}${d.message}`;
  }
  return out;
}
