import { escapeHtml } from '../http/respond';
import { BASIC_SCOPES } from './google-oauth.state';

const SCOPE_LABELS: Record<string, string> = {
  openid: 'Associate you with your personal info on Google',
  email: 'See your primary Google Account email address',
  profile: 'See your personal info, including any personal info you have made publicly available',
  'https://www.googleapis.com/auth/gmail.send': 'Send email on your behalf',
  'https://www.googleapis.com/auth/gmail.readonly': 'View your email messages and settings',
  'https://www.googleapis.com/auth/gmail.modify': 'Read, compose, and send emails from your Gmail account',
  'https://www.googleapis.com/auth/gmail.compose': 'Manage drafts and send emails',
  'https://www.googleapis.com/auth/gmail.metadata': 'View your email message metadata such as labels and headers',
  'https://mail.google.com/': 'Read, compose, send, and permanently delete all your email from Gmail',
};

export interface ConsentView {
  clientId: string;
  email: string;
  requested: string[];
  alreadyGranted: string[];
  requestQuery: string;
}

/** Granular consent like Google's: basic scopes are implied, every other scope has its own box. */
export function renderConsentPage(v: ConsentView): string {
  const rows = v.requested
    .map((scope) => {
      const basic = BASIC_SCOPES.has(scope);
      const granted = v.alreadyGranted.includes(scope);
      const label = SCOPE_LABELS[scope] ?? scope;
      const box = basic
        ? `<input type="checkbox" checked disabled><input type="hidden" name="scope" value="${escapeHtml(scope)}">`
        : `<input type="checkbox" name="scope" value="${escapeHtml(scope)}" checked>`;
      return `<li><label>${box} <span>${escapeHtml(label)}</span><code>${escapeHtml(scope)}</code>${granted ? '<em>already granted</em>' : ''}</label></li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts (sandbox)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f1f3f4;margin:0;padding:40px 12px;color:#202124}
main{max-width:560px;margin:auto;background:#fff;border:1px solid #dadce0;border-radius:8px;padding:32px}
h1{font-size:22px;font-weight:400;margin:0 0 8px}
.client{color:#1a73e8;word-break:break-all}
ul{list-style:none;padding:0}li{padding:10px 0;border-bottom:1px solid #eee}
label{display:flex;gap:10px;align-items:flex-start;flex-wrap:wrap}
code{display:block;width:100%;margin-left:26px;font-size:11px;color:#5f6368}
em{font-size:12px;color:#188038;margin-left:auto}
.actions{display:flex;justify-content:flex-end;gap:12px;margin-top:24px}
button{font-size:14px;padding:8px 20px;border-radius:4px;border:1px solid #dadce0;background:#fff;cursor:pointer}
button.allow{background:#1a73e8;color:#fff;border-color:#1a73e8}
input[type=email]{width:100%;padding:8px;font-size:15px;box-sizing:border-box}
.note{font-size:12px;color:#5f6368}
</style></head>
<body><main>
<h1>Provider sandbox wants access to your Google Account</h1>
<p>Application <span class="client">${escapeHtml(v.clientId)}</span> is requesting:</p>
<form method="post" action="/o/oauth2/v2/auth/decision">
<input type="hidden" name="request" value="${escapeHtml(v.requestQuery)}">
<p><label for="email">Signed in as</label><input id="email" type="email" name="email" value="${escapeHtml(v.email)}" required></p>
<p class="note">Select what the application can access. Untick a permission to withhold it.</p>
<ul>${rows}</ul>
<div class="actions">
<button type="submit" name="decision" value="deny" formnovalidate>Cancel</button>
<button type="submit" name="decision" value="allow" class="allow">Continue</button>
</div>
</form>
</main></body></html>`;
}

export function renderOAuthErrorPage(status: number, error: string, description: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error ${status}: ${escapeHtml(error)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:560px;margin:60px auto;color:#202124}</style></head>
<body><h1>Access blocked: authorization error</h1><p><strong>Error ${status}: ${escapeHtml(error)}</strong></p><p>${escapeHtml(description)}</p></body></html>`;
}
