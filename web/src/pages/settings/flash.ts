/** Outcomes of the Google round trip (Connect Gmail), as Settings shows them once. */
const GMAIL_ERRORS: Record<string, (email?: string) => string> = {
  access_denied: () => 'Gmail was not connected: access was not granted on Google’s consent screen. Click “Connect Gmail” to try again.',
  send_scope_missing: (email) =>
    `${email ?? 'The mailbox'} was connected without permission to send email, so it cannot send. Click “Reconnect” and keep “Send email on your behalf” ticked.`,
  state_invalid: () =>
    'That connection attempt could not be verified (it expired, was already used, or was started in another browser). Please try again.',
  google_error: () => 'Google could not complete the connection. Please try again in a moment.',
  google_not_configured: () => 'Google OAuth is not configured on this server (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET).',
};

export type Flash = { tone: 'success' | 'error'; text: string };

export function flashFrom(params: URLSearchParams): Flash | null {
  const connected = params.get('connected');
  const error = params.get('gmail_error');
  if (connected) return { tone: 'success', text: `${connected} is connected and ready to send.` };
  if (error) return { tone: 'error', text: (GMAIL_ERRORS[error] ?? GMAIL_ERRORS.google_error!)(params.get('email') ?? undefined) };
  return null;
}
