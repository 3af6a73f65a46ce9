import { parse as parseQueryString } from 'node:querystring';
import busboy from 'busboy';
import type { RequestContext } from './request-context';
import { header } from './request-context';

export interface FormFile {
  field: string;
  filename: string;
  mimeType: string;
  data: Buffer;
}

/** Multi-valued form fields: Mailgun repeats `to`, Twilio repeats `MediaUrl`. */
export class FormFields {
  readonly values = new Map<string, string[]>();
  readonly files: FormFile[] = [];

  add(key: string, value: string): void {
    const cur = this.values.get(key);
    if (cur) cur.push(value);
    else this.values.set(key, [value]);
  }

  get(key: string): string | undefined {
    return this.values.get(key)?.[0];
  }

  all(key: string): string[] {
    return this.values.get(key) ?? [];
  }

  /** Flat record (first value wins), e.g. to compute Twilio signatures of inbound params. */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.values) out[k] = v[0]!;
    return out;
  }
}

export async function parseForm(rc: RequestContext): Promise<FormFields> {
  const type = (header(rc, 'content-type') ?? '').toLowerCase();
  const fields = new FormFields();
  if (type.startsWith('multipart/form-data')) {
    await parseMultipart(rc, fields);
  } else if (type.startsWith('application/json')) {
    const obj = JSON.parse(rc.body.toString('utf8') || '{}') as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      if (Array.isArray(v)) for (const item of v) fields.add(k, String(item));
      else if (v !== undefined && v !== null) fields.add(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
  } else {
    // querystring.parse is markedly cheaper than URLSearchParams on the hot create paths,
    // and decodes `+` and percent-escapes the same way for form bodies.
    const parsed = parseQueryString(rc.body.toString('utf8'), '&', '=', { maxKeys: 0 });
    for (const [k, v] of Object.entries(parsed)) {
      if (Array.isArray(v)) for (const item of v) fields.add(k, item);
      else if (v !== undefined) fields.add(k, v);
    }
  }
  return fields;
}

function parseMultipart(rc: RequestContext, fields: FormFields): Promise<void> {
  return new Promise((resolve, reject) => {
    const bb = busboy({
      headers: rc.req.headers,
      limits: { fieldSize: 32 * 1024 * 1024, fields: 20_000, files: 100 },
    });
    bb.on('field', (name, value) => fields.add(name, value));
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () =>
        fields.files.push({ field: name, filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) }),
      );
    });
    bb.on('close', () => resolve());
    bb.on('error', reject);
    bb.end(rc.body);
  });
}
