import type { Router } from '../http/router';
import { jsonBody, type RequestContext } from '../http/request-context';
import { sendJson } from '../http/respond';
import { ControlError, asObject, type Json } from './validate';

export type ControlHandler = (rc: RequestContext) => unknown; // a value or a Promise of one
export type ControlRoute = (method: string, pattern: RegExp, fn: ControlHandler) => void;

/** Registers JSON control routes: the handler's return value is the body, ControlErrors become error JSON. */
export function controlRoutes(router: Router): ControlRoute {
  return (method, pattern, fn) => {
    router.add(method, pattern, async (rc) => {
      try {
        const result = await fn(rc);
        if (result !== undefined && !rc.res.headersSent) sendJson(rc.res, rc.res.statusCode || 200, result);
      } catch (err) {
        if (err instanceof ControlError) {
          sendJson(
            rc.res,
            err.statusCode,
            err.details === undefined
              ? { statusCode: err.statusCode, code: err.code, message: err.message }
              : { statusCode: err.statusCode, code: err.code, message: err.message, details: err.details },
          );
          return;
        }
        throw err;
      }
    });
  };
}

export function notFound(what: string, id: string): ControlError {
  return new ControlError(404, 'NOT_FOUND', `${what} ${id} not found`);
}

export function body(rc: RequestContext): Json {
  try {
    return rc.body.length ? asObject(jsonBody(rc)) : {};
  } catch (err) {
    if (err instanceof ControlError) throw err;
    throw new ControlError(400, 'INVALID_JSON', 'Request body is not valid JSON');
  }
}

/** No limit unless asked: the contract is "every message it accepted". */
export function paging(rc: RequestContext): { offset: number; limit: number } {
  const offset = Math.max(0, Number(rc.query.get('offset') ?? 0) || 0);
  const raw = rc.query.get('limit');
  const limit = raw === null ? Number.MAX_SAFE_INTEGER : Math.max(0, Number(raw) || 0);
  return { offset, limit };
}
