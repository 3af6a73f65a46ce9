import { Environment } from '../../config/environment';

export interface GoogleEndpoints {
  authorizationUrl: string;
  tokenUrl: string;
  userInfoUrl: string;
  revokeUrl: string;
  gmailApiBaseUrl: string;
  sheetsApiBaseUrl: string;
}

export const GMAIL_SEND_SCOPE = 'https://www.googleapis.com/auth/gmail.send';
/** Read access for reply and bounce detection (history.list, messages.get). */
export const GMAIL_READ_SCOPE = 'https://www.googleapis.com/auth/gmail.readonly';
/** Read access to the person's spreadsheets, asked for on its own (incrementally) when they first import from Sheets. */
export const SHEETS_READ_SCOPE = 'https://www.googleapis.com/auth/spreadsheets.readonly';
/** The incremental grant: the address (to match the mailbox) and Sheets; Google adds what was granted before. */
export const SHEETS_GRANT_SCOPES = ['openid', 'email', SHEETS_READ_SCOPE];
export const SIGN_IN_SCOPES = ['openid', 'email', 'profile'];
export const GMAIL_SCOPES = ['openid', 'email', GMAIL_SEND_SCOPE, GMAIL_READ_SCOPE];

/** Google's endpoints, or the provider sandbox's when GOOGLE_BASE_URL (or one of the per-endpoint variables) says so. */
export function googleEndpoints(env: Environment): GoogleEndpoints {
  const base = env.GOOGLE_BASE_URL?.replace(/\/+$/, '');
  return {
    authorizationUrl: env.GOOGLE_AUTH_URL ?? (base ? `${base}/o/oauth2/v2/auth` : 'https://accounts.google.com/o/oauth2/v2/auth'),
    tokenUrl: env.GOOGLE_TOKEN_URL ?? (base ? `${base}/token` : 'https://oauth2.googleapis.com/token'),
    userInfoUrl: env.GOOGLE_USERINFO_URL ?? (base ? `${base}/oauth2/v3/userinfo` : 'https://www.googleapis.com/oauth2/v3/userinfo'),
    revokeUrl: env.GOOGLE_REVOKE_URL ?? (base ? `${base}/revoke` : 'https://oauth2.googleapis.com/revoke'),
    gmailApiBaseUrl: (env.GMAIL_API_BASE_URL ?? base ?? 'https://gmail.googleapis.com').replace(/\/+$/, ''),
    sheetsApiBaseUrl: (env.SHEETS_API_BASE_URL ?? base ?? 'https://sheets.googleapis.com').replace(/\/+$/, ''),
  };
}

export function googleConfigured(env: Environment): boolean {
  return Boolean(env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET);
}

export function signupMode(env: Environment): 'open' | 'invite' {
  return env.SIGNUP_MODE ?? (env.NODE_ENV === 'production' ? 'invite' : 'open');
}
