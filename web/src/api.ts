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
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = cookie('cadence_csrf');
    if (csrf) headers['x-csrf-token'] = decodeURIComponent(csrf);
  }
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
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (data ?? {}) as { code?: string; message?: string; details?: unknown };
    throw new ApiError(res.status, e.code ?? `http_${res.status}`, e.message ?? `The server answered ${res.status}`, e.details);
  }
  return data as T;
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
  const csrf = cookie('cadence_csrf');
  await fetch('/auth/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {},
  });
}
