import busboy from 'busboy';
import type { Request } from 'express';
import { Readable } from 'node:stream';
import { AppError } from '../errors/app-error';

const CSV_TYPES = new Set([
  'text/csv',
  'application/csv',
  'text/plain',
  'application/vnd.ms-excel',
  'application/octet-stream',
  'text/comma-separated-values',
]);

/**
 * Hands the CSV of a request to `consume` as a stream, from a raw body (text/csv...) or from the first
 * file of a multipart form. Form fields sent before the file are merged over the query parameters.
 */
export async function consumeCsvUpload<T>(
  req: Request,
  consume: (csv: Readable, fields: Record<string, string>) => Promise<T>,
): Promise<T> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') fields[k] = v;
  if (CSV_TYPES.has(contentType)) return consume(req, fields);
  if (contentType !== 'multipart/form-data') {
    throw new AppError(
      'unsupported_media_type',
      `Send the CSV as text/csv or as a multipart/form-data file, not ${contentType || 'an untyped body'}`,
    );
  }
  return new Promise<T>((resolve, reject) => {
    let started = false;
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
    } catch (error) {
      reject(new AppError('invalid_csv', `The multipart body is malformed: ${(error as Error).message}`));
      return;
    }
    parser.on('field', (name, value) => {
      if (!started) fields[name] = value;
    });
    parser.on('file', (_name, file) => {
      if (started) {
        file.resume();
        return;
      }
      started = true;
      // `consume` may throw before it returns a promise (a bad `mapping` field): inside busboy's event
      // handler that would become an unhandled 'error' event and end the process, so it is turned into a
      // rejection, and the rest of the body is drained so the client gets its answer.
      new Promise<T>((done) => done(consume(file, { ...fields }))).then(resolve, (error: unknown) => {
        file.resume();
        reject(error);
      });
    });
    parser.on('error', (error: Error) => {
      req.unpipe(parser);
      req.resume();
      reject(new AppError('invalid_csv', `The multipart body is malformed: ${error.message}`));
    });
    parser.on('close', () => {
      if (!started) reject(new AppError('invalid_csv', 'The multipart body has no file part'));
    });
    req.pipe(parser);
  });
}
