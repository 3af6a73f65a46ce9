import type * as z from 'zod/mini';

export interface ContractIssue {
  /** Where in the body, e.g. `results[2].messageId` (empty for the body itself). */
  path: string;
  message: string;
}

/** `["results", 2, "messageId"]` -> `results[2].messageId`. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out;
}

/** A failed parse as one line (first issues first) and as a list, for error answers and logs. */
export function describeIssues(error: z.core.$ZodError, max = 5): { message: string; issues: ContractIssue[] } {
  const issues = error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
  const shown = issues.slice(0, max).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  const more = issues.length > max ? ` (and ${issues.length - max} more)` : '';
  return { message: shown.join('; ') + more, issues };
}

/** Any schema of this package, by what it parses to. */
export type ContractSchema<T> = z.ZodMiniType<T, unknown>;

export type ContractParse<T> = { ok: true; data: T } | { ok: false; message: string; issues: ContractIssue[] };

/** safeParse with the failure already described: callers need no zod import of their own. */
export function parseContract<T>(schema: ContractSchema<T>, value: unknown): ContractParse<T> {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, ...describeIssues(parsed.error) };
}
