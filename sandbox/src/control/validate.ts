export class ControlError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type Json = Record<string, unknown>;

export function asObject(value: unknown, what = 'body'): Json {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ControlError(400, 'VALIDATION_FAILED', `${what} must be a JSON object`);
  return value as Json;
}

export function optString(o: Json, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ControlError(400, 'VALIDATION_FAILED', `${key} must be a string`, { field: key });
  return v;
}

export function reqString(o: Json, key: string): string {
  const v = optString(o, key);
  if (!v) throw new ControlError(400, 'VALIDATION_FAILED', `${key} is required`, { field: key });
  return v;
}

export function optNumber(o: Json, key: string, min = 0): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new ControlError(400, 'VALIDATION_FAILED', `${key} must be a number >= ${min}`, { field: key });
  return v;
}

export function optBoolean(o: Json, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ControlError(400, 'VALIDATION_FAILED', `${key} must be a boolean`, { field: key });
  return v;
}

export function optUrl(o: Json, key: string): string | undefined {
  const v = optString(o, key);
  if (v === undefined) return undefined;
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ControlError(400, 'VALIDATION_FAILED', `${key} must be an http(s) URL`, { field: key });
  }
  return v;
}

export function reqUrl(o: Json, key: string): string {
  const v = optUrl(o, key);
  if (!v) throw new ControlError(400, 'VALIDATION_FAILED', `${key} is required`, { field: key });
  return v;
}
