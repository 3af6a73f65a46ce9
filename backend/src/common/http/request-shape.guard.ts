import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors/app-error';

/** Deepest JSON nesting a request body may have: real bodies need < 10; deeper ones only exhaust stacks. */
export const MAX_JSON_DEPTH = 32;

/** Routes that take a CSV or multipart body instead of JSON. */
const NON_JSON_ROUTES = [/^\/api\/v1\/(leads|suppressions)\/import\/?$/, /^\/api\/v1\/campaigns\/from-csv\/?$/];

/**
 * Nesting depth of a parsed JSON value, measured without recursion (a 10,000-deep body must not be what
 * overflows the stack), stopping as soon as `limit` is passed.
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function isJson(req: Request): boolean {
  const type = mediaType(req);
  return type === 'application/json' || type.endsWith('+json');
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Runs after the JSON parser on every request: a write to the public API with a body that is not JSON
 * answers 415 (it used to reach the services as `undefined` and answer 500), and a JSON body nested
 * deeper than MAX_JSON_DEPTH answers 400 before validation, class-transformer or the database recurse
 * into it (a 1,200-deep `attributes` made the embedded database fault).
 */
export function requestShapeGuard(req: Request, _res: Response, next: NextFunction): void {
  const path = req.path;
  if (
    path.startsWith('/api/v1/') &&
    ['POST', 'PUT', 'PATCH'].includes(req.method) &&
    hasBody(req) &&
    !NON_JSON_ROUTES.some((route) => route.test(path))
  ) {
    if (!isJson(req)) {
      next(
        new AppError('unsupported_media_type', `Send this request's body as application/json, not ${mediaType(req) || 'an untyped body'}`),
      );
      return;
    }
  }
  if (hasBody(req) && isJson(req) && (req.body === null || typeof req.body !== 'object')) {
    next(
      new AppError(
        'invalid_json',
        'The request body must be a JSON object (or an array where the operation takes one), not a bare JSON value',
      ),
    );
    return;
  }
  if (req.body !== undefined && req.body !== null && typeof req.body === 'object' && jsonDepthExceeds(req.body, MAX_JSON_DEPTH)) {
    next(new AppError('body_too_deep', `The request body is nested deeper than ${MAX_JSON_DEPTH} levels`));
    return;
  }
  next();
}
