import type { DefaultSecrets } from '../config';

export interface MailgunDomainCredentials {
  apiKey?: string;
  webhookSigningKey?: string;
}

export interface WhatsappNumberCredentials {
  accessToken?: string;
  appSecret?: string;
}

export interface GoogleClientCredentials {
  clientSecret: string;
  redirectUris?: string[];
}

/**
 * Accept-any by default: an account that was never registered is accepted with any secret,
 * so a newcomer can point anything at the sandbox. Registering an account makes its secret
 * mandatory (and `strict` rejects every unregistered account) so 401 paths can be tested.
 */
export class CredentialRegistry {
  strict = false;
  readonly twilio = new Map<string, string>();
  readonly mailgun = new Map<string, MailgunDomainCredentials>();
  readonly whatsapp = new Map<string, WhatsappNumberCredentials>();
  readonly google = new Map<string, GoogleClientCredentials>();
  // The token a client last authenticated with is what it will verify signatures with.
  private readonly twilioSeenTokens = new Map<string, string>();

  constructor(public defaults: DefaultSecrets) {}

  checkTwilio(pathSid: string, username: string | undefined, password: string | undefined): boolean {
    if (!username || !password) return false;
    const registered = this.twilio.get(pathSid);
    if (registered !== undefined) {
      if (username !== pathSid || password !== registered) return false;
    } else if (this.strict) {
      return false;
    }
    if (username === pathSid) this.twilioSeenTokens.set(pathSid, password);
    return true;
  }

  twilioAuthToken(accountSid: string): string {
    return this.twilio.get(accountSid) ?? this.twilioSeenTokens.get(accountSid) ?? this.defaults.twilioAuthToken;
  }

  checkMailgun(domain: string, username: string | undefined, password: string | undefined): boolean {
    if (username !== 'api' || !password) return false;
    const registered = this.mailgun.get(domain);
    if (registered?.apiKey !== undefined) return registered.apiKey === password;
    return !this.strict;
  }

  /** Account-wide calls (routes): a key registered for any domain, or any key unless strict. */
  checkMailgunAccount(username: string | undefined, password: string | undefined): boolean {
    if (username !== 'api' || !password) return false;
    for (const c of this.mailgun.values()) if (c.apiKey === password) return true;
    return !this.strict;
  }

  mailgunSigningKey(domain: string): string {
    return this.mailgun.get(domain)?.webhookSigningKey ?? this.defaults.mailgunSigningKey;
  }

  checkWhatsapp(phoneNumberId: string, token: string | undefined): boolean {
    if (!token) return false;
    const registered = this.whatsapp.get(phoneNumberId);
    if (registered?.accessToken !== undefined) return registered.accessToken === token;
    return !this.strict;
  }

  whatsappAppSecret(phoneNumberId: string | undefined): string {
    return (phoneNumberId && this.whatsapp.get(phoneNumberId)?.appSecret) || this.defaults.whatsappAppSecret;
  }

  /** undefined secret = only the client id is being checked (authorization page). */
  checkGoogleClient(clientId: string, clientSecret?: string): boolean {
    const registered = this.google.get(clientId);
    if (!registered) return !this.strict;
    return clientSecret === undefined || registered.clientSecret === clientSecret;
  }

  googleRedirectAllowed(clientId: string, redirectUri: string): boolean {
    const uris = this.google.get(clientId)?.redirectUris;
    return !uris || uris.length === 0 || uris.includes(redirectUri);
  }

  clear(): void {
    this.strict = false;
    this.twilio.clear();
    this.mailgun.clear();
    this.whatsapp.clear();
    this.google.clear();
    this.twilioSeenTokens.clear();
  }

  summary(): Record<string, unknown> {
    return {
      strict: this.strict,
      twilio: [...this.twilio.keys()],
      mailgun: [...this.mailgun.keys()],
      whatsapp: [...this.whatsapp.keys()],
      google: [...this.google.keys()],
    };
  }
}
