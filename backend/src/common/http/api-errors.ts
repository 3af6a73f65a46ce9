import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_CODES, ErrorCode } from '../errors/error-codes';
import { ErrorResponse } from '../errors/error.responses';

/** What any route behind the API-key guard can answer: a missing, wrong or revoked key, and too many failed ones. */
export const AUTH_ERRORS: ErrorCode[] = ['unauthorized', 'api_key_revoked', 'rate_limited'];
/** What any route taking a JSON body can answer before (or in) validation (request-shape.guard.ts, validation.pipe.ts). */
export const JSON_BODY_ERRORS: ErrorCode[] = [
  'validation_failed',
  'invalid_json',
  'body_too_deep',
  'payload_too_large',
  'unsupported_media_type',
];
/** A CSV upload (common/csv): a wrong media type, a malformed file or multipart body, a file over the limit. */
export const CSV_UPLOAD_ERRORS: ErrorCode[] = ['invalid_csv', 'payload_too_large', 'unsupported_media_type'];

const REASONS: Record<number, string> = {
  400: 'The request is malformed or invalid',
  401: 'No valid API key (or web session)',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'The body is too large',
  415: 'Unsupported body media type',
  422: 'Well-formed but refused',
  429: 'Too many requests',
  502: 'An upstream provider failed',
  503: 'A dependency is unavailable',
  504: 'An upstream provider did not answer in time',
};

/**
 * Documents the error answers of an operation: one response per status, each the shared ErrorResponse with
 * `statusCode` and `code` narrowed to what this operation can answer (codes grouped by their status from
 * ERROR_CODES). Lists are merged, so `@ApiErrors(...AUTH_ERRORS, 'lead_not_found')` reads as the route does.
 */
export function ApiErrors(...codes: Array<ErrorCode | ErrorCode[]>): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of codes.flat()) {
    const status = ERROR_CODES[code];
    if (!byStatus.has(status)) byStatus.set(status, new Set());
    byStatus.get(status)!.add(code);
  }
  return applyDecorators(
    ApiExtraModels(ErrorResponse),
    ...[...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, set]) => {
        const list = [...set];
        return ApiResponse({
          status,
          description: `${REASONS[status] ?? 'Error'}: ${list.map((c) => `\`${c}\``).join(', ')}`,
          schema: {
            allOf: [
              { $ref: getSchemaPath(ErrorResponse) },
              { type: 'object', properties: { statusCode: { type: 'integer', enum: [status] }, code: { type: 'string', enum: list } } },
            ],
          },
        });
      }),
  );
}
