import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import type { TwilioState } from '../providers/twilio.state';
import type { MailgunState } from '../providers/mailgun.state';
import type { WhatsappState } from '../providers/whatsapp.state';
import type { GmailState } from '../providers/gmail.mailbox';
import type { GoogleOAuthState } from '../providers/google-oauth.state';
import type { SheetsState } from '../providers/sheets.state';
import { registerInspectRoutes } from './inspect.routes';
import { registerSettingsRoutes } from './settings.routes';
import { registerProviderControlRoutes } from './provider-control.routes';

export interface ProviderStates {
  twilio: TwilioState;
  mailgun: MailgunState;
  whatsapp: WhatsappState;
  gmail: GmailState;
  oauth: GoogleOAuthState;
  sheets: SheetsState;
}

/** The control API under /_sandbox and the dashboard. */
export function registerControl(router: Router, ctx: SandboxContext, states: ProviderStates): void {
  registerInspectRoutes(router, ctx, states);
  registerSettingsRoutes(router, ctx, states);
  registerProviderControlRoutes(router, ctx, states);
}
