import { ApiError } from '../../../api';

/**
 * The API's per-field problems (`details: [{ field: 'config.accountSid', message }]`, or one
 * `{ field }` naming where a refusal applies) keyed by field, to show each next to its input.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const details = error.details;
  const out: Record<string, string> = {};
  if (Array.isArray(details)) {
    for (const d of details as Array<{ field?: unknown; message?: unknown }>) {
      if (typeof d?.field !== 'string' || typeof d.message !== 'string') continue;
      // Shown next to its own input: "config.accountSid must ..." reads as "accountSid must ...".
      const message = d.message.replace(/^(config|secrets)\./, '');
      out[d.field] = out[d.field] ? `${out[d.field]}; ${message}` : message;
    }
  } else if (details && typeof details === 'object' && typeof (details as { field?: unknown }).field === 'string') {
    out[(details as { field: string }).field] = error.message;
  }
  return out;
}
