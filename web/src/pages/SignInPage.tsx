import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { Banner } from '../components/Banner';

const ERRORS: Record<string, string> = {
  access_denied: 'Sign-in was cancelled on Google’s page. Try again when you are ready.',
  state_invalid: 'That sign-in could not be verified (it expired, was already used, or began in another browser). Please try again.',
  google_error: 'Google could not complete the sign-in. Please try again.',
  google_not_configured:
    'Google sign-in is not configured on this server. Ask your administrator to set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.',
  signup_closed: 'Your address has not been invited to an organization yet. Ask an administrator for an invitation link, then open it.',
  invitation_invalid:
    'This invitation link cannot be used: it expired or was replaced, it is for another address, or your address already belongs to an organization.',
  invitation_required: 'Your address was added to an organization: open the invitation link you were given to join it.',
  signin_refused:
    'This Google account could not be signed in: its e-mail address is not verified, or it is linked to another Google account.',
  session_expired: 'Your session expired. Sign in again to continue.',
};

export function SignInPage() {
  const [params] = useSearchParams();
  const status = useQuery({
    queryKey: ['auth-status'],
    queryFn: async () => (await (await fetch('/auth/status')).json()) as { google: boolean; signupMode: 'open' | 'invite' },
  });
  const error = params.get('error');
  const returnTo = params.get('returnTo') ?? '/settings';
  return (
    <main id="main" className="signin">
      <div className="card signin-card">
        <h1>
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Sign in to Cadence
        </h1>
        <p className="muted">Multi-channel outbound campaigns. Use the Google account you work with.</p>
        {error && <Banner tone="error">{ERRORS[error] ?? 'Sign-in failed. Please try again.'}</Banner>}
        {status.data && !status.data.google && <Banner tone="info">{ERRORS.google_not_configured}</Banner>}
        <a
          className={`btn btn-primary btn-block${status.data?.google === false ? ' disabled' : ''}`}
          href={`/auth/google?returnTo=${encodeURIComponent(returnTo)}`}
          aria-disabled={status.data?.google === false}
        >
          <GoogleMark /> Sign in with Google
        </a>
        {status.data && (
          <p className="fine-print">
            {status.data.signupMode === 'open'
              ? 'New here? Signing in creates an organization for you.'
              : 'Only invited people can sign in. Ask an administrator of your organization to invite you.'}
          </p>
        )}
      </div>
    </main>
  );
}

function GoogleMark() {
  return (
    <svg width="18" height="18" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <path
        fill="#EA4335"
        d="M24 9.5c3.5 0 6.6 1.2 9.1 3.6l6.8-6.8C35.8 2.4 30.3 0 24 0 14.6 0 6.6 5.4 2.7 13.2l7.9 6.1C12.5 13.6 17.8 9.5 24 9.5z"
      />
      <path fill="#4285F4" d="M46.5 24.5c0-1.6-.1-3.1-.4-4.5H24v9h12.7c-.6 3-2.3 5.5-4.8 7.2l7.7 6c4.5-4.2 6.9-10.3 6.9-17.7z" />
      <path fill="#FBBC05" d="M10.6 28.7c-.5-1.4-.8-3-.8-4.7s.3-3.3.8-4.7l-7.9-6.1C1 16.6 0 20.2 0 24s1 7.4 2.7 10.8l7.9-6.1z" />
      <path
        fill="#34A853"
        d="M24 48c6.5 0 11.9-2.1 15.9-5.8l-7.7-6c-2.1 1.4-4.9 2.3-8.2 2.3-6.2 0-11.5-4.1-13.4-9.8l-7.9 6.1C6.6 42.6 14.6 48 24 48z"
      />
    </svg>
  );
}
