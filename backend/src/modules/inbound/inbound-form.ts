import busboy from 'busboy';
import type { Request } from 'express';
import { AppError } from '../../common/errors/app-error';

/** A forwarded message's text fields: the headers and both bodies; attachments are not read. */
const FIELD_LIMIT = 1024 * 1024;
const FIELDS = 100;
/** Attachments are drained, not stored; past this the sender is told the message is too large. */
export const MAX_INBOUND_BYTES = 25 * 1024 * 1024;

/**
 * The text fields of a route forward, urlencoded (already parsed by the app's 1 MB parser) or
 * multipart/form-data (Mailgun's usual form, attachments included): read with busboy, bounded by field
 * size, field count and total bytes. A malformed or oversized body is a 4xx with a code.
 */
export async function readInboundForm(req: Request): Promise<Record<string, string>> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType === 'application/x-www-form-urlencoded') return stringFields(req.body);
  if (contentType !== 'multipart/form-data') {
    throw new AppError(
      'unsupported_media_type',
      `Post the message as multipart/form-data or urlencoded, not ${contentType || 'an untyped body'}`,
    );
  }
  if (Number(req.headers['content-length'] ?? 0) > MAX_INBOUND_BYTES)
    throw new AppError('payload_too_large', 'The message is larger than 25 MB');
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let failed = false;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fields: FIELDS, fieldSize: FIELD_LIMIT, fileSize: MAX_INBOUND_BYTES } });
    } catch (error) {
      reject(new AppError('invalid_inbound_message', `The multipart body is malformed: ${(error as Error).message}`));
      return;
    }
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_INBOUND_BYTES) fail(new AppError('payload_too_large', 'The message is larger than 25 MB'));
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new AppError('payload_too_large', `The field ${name} is larger than 1 MB`));
      else fields[name] = value;
    });
    parser.on('file', (_name, file) => file.resume());
    parser.on('fieldsLimit', () => fail(new AppError('invalid_inbound_message', `More than ${FIELDS} form fields`)));
    parser.on('error', (error: Error) =>
      fail(new AppError('invalid_inbound_message', `The multipart body is malformed: ${error.message}`)),
    );
    parser.on('close', () => {
      if (!failed) resolve(fields);
    });
    req.pipe(parser);
  });
}

function stringFields(body: unknown): Record<string, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
