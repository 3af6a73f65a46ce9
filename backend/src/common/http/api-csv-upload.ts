import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * OpenAPI for a streamed CSV import (not a JSON DTO: `consumeCsvUpload` reads the raw body): a multipart
 * form with one file part and optional fields, or the CSV itself as `text/csv`.
 */
export function ApiCsvUpload(fields: Record<string, string> = {}): MethodDecorator {
  return applyDecorators(
    ApiConsumes('multipart/form-data', 'text/csv'),
    ApiBody({
      description:
        'The CSV as a multipart `file` part (form fields sent before it are read like query parameters), or as a raw `text/csv` body',
      required: true,
      schema: {
        type: 'object',
        required: ['file'],
        properties: {
          file: { type: 'string', format: 'binary', description: 'The CSV file (UTF-8, header row first)' },
          ...Object.fromEntries(Object.entries(fields).map(([name, description]) => [name, { type: 'string', description }])),
        },
      },
    }),
  );
}

/** `@ApiBody` has one schema for all media types: give the raw `text/csv` variant its own, a string. */
export function fixCsvBodies(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const operation of [path.post, path.put, path.patch]) {
      const csv = operation?.requestBody && 'content' in operation.requestBody ? operation.requestBody.content['text/csv'] : undefined;
      if (csv) csv.schema = { type: 'string', description: 'CSV text, header row first' };
    }
  }
  return document;
}
