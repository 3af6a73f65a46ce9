import type { Request } from 'express';
import type { Environment } from '../../config/environment';
import { publicUrl } from '../tracking/public-url';

/** Twilio signs the URL it called: the public one, with its query string. */
export function twilioCalledUrl(env: Environment, req: Request): string {
  return `${publicUrl(env)}${req.originalUrl}`;
}

/** Twilio posts a form; anything else (no body, JSON, a list) has nothing to sign and fails the signature check. */
export function twilioFormParams(body: unknown): Record<string, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
