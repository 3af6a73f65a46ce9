/** The backend's error shape: `{ statusCode, code, message, details? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

function cookie(name: string): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

/**
 * Same-origin JSON calls with the session cookie. State-changing calls echo the CSRF token
 * (double submit: the backend checks it against the session).
 */
export async function api<T>(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...csrfHeader(method), ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
  return parseAnswer<T>(res.status, res.ok, await res.text());
}

function csrfHeader(method: string): Record<string, string> {
  if (method === 'GET') return {};
  const csrf = cookie('cadence_csrf');
  return csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {};
}

/** A JSON answer, or the ApiError its error body describes (a proxy's HTML error page included). */
function parseAnswer<T>(status: number, ok: boolean, text: string): T {
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    if (ok) throw new ApiError(status, 'invalid_response', 'The server sent an answer that is not JSON.');
  }
  if (!ok) {
    const e = (data ?? {}) as { code?: string; message?: string | string[]; details?: unknown };
    const message = Array.isArray(e.message) ? e.message.join('; ') : e.message;
    throw new ApiError(status, e.code ?? `http_${status}`, message ?? `The server answered ${status}`, e.details);
  }
  return data as T;
}

/** A path with its query string; empty and undefined parameters are left out. */
export function withQuery(path: string, params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/**
 * A multipart upload (CSV imports) with upload progress: fetch cannot report it, XMLHttpRequest can.
 * `onProgress` gets 0..1 while the bytes go up; the promise settles with the parsed answer.
 */
export function upload<T>(path: string, form: FormData, onProgress?: (fraction: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    for (const [k, v] of Object.entries(csrfHeader('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.'));
    xhr.onload = () => {
      try {
        resolve(parseAnswer<T>(xhr.status, xhr.status >= 200 && xhr.status < 300, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.send(form);
  });
}

/** Rows as a CSV file the browser downloads (per-row import errors): quoted per RFC 4180. */
export function downloadCsv(filename: string, header: string[], rows: Array<Array<string | number | null | undefined>>): void {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s;
  };
  const text = [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

export interface Session {
  organization: { id: string; name: string };
  user: { id: string; email: string; name: string | null } | null;
  csrfToken?: string;
}

export type EmailAccountStatus = 'connected' | 'reauth_required' | 'disconnected';

export interface EmailAccount {
  id: string;
  provider: string;
  email: string;
  scopes: string[];
  status: EmailAccountStatus;
  isPrimary: boolean;
  dailyCap: number;
  lastError: string | null;
  repliesCheckedAt: string | null;
  repliesError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Channel {
  id: string;
  type: 'mailgun' | 'twilio' | 'whatsapp';
  name: string;
  config: Record<string, unknown>;
  status: 'untested' | 'connected' | 'error';
  lastTestedAt: string | null;
  lastError: string | null;
}

export interface TestResult {
  ok: boolean;
  code?: string;
  message: string;
}

export async function signOut(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: csrfHeader('POST') });
}
