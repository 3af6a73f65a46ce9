import { ApiError } from '../api';
import { Banner } from './Banner';

/** Per-field problems the API reports with `validation_failed` (`details: [{ path, message }]`). */
function fieldProblems(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details
    .map((d: unknown) => {
      if (typeof d === 'string') return d;
      if (d && typeof d === 'object') {
        const { path, field, message } = d as { path?: unknown; field?: unknown; message?: unknown };
        const where = typeof path === 'string' ? path : Array.isArray(path) ? path.join('.') : typeof field === 'string' ? field : '';
        return typeof message === 'string' ? (where ? `${where}: ${message}` : message) : '';
      }
      return '';
    })
    .filter(Boolean)
    .slice(0, 10);
}

/**
 * An API error as the user should read it: the server's own message, the per-field problems when it
 * lists them, and the stable `code` (what support and the docs refer to).
 */
export function ErrorBanner({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const problems = fieldProblems(api?.details);
  return (
    <Banner tone="error" onDismiss={onDismiss}>
      <span>{api ? api.message : error instanceof Error ? error.message : String(error)}</span>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {api && api.code && <span className="error-code"> ({api.code})</span>}
    </Banner>
  );
}

/** The text of an error for toasts and inline hints. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
