export type Provider = 'gmail' | 'mailgun' | 'twilio' | 'whatsapp' | 'google-oauth';
export const PROVIDERS: readonly Provider[] = ['gmail', 'mailgun', 'twilio', 'whatsapp', 'google-oauth'];

export interface RateLimitSettings {
  enabled: boolean;
  gmail: {
    /** Per-user quota units per second (Google's default is 250). */
    quotaUnitsPerSecond: number;
    /** Daily sending cap for Workspace mailboxes (Google: 2,000). */
    dailyCapWorkspace: number;
    /** Daily sending cap for consumer @gmail.com / @googlemail.com mailboxes (Google: 500). */
    dailyCapConsumer: number;
    /** Per-mailbox overrides of the daily cap. */
    dailyCaps: Record<string, number>;
  };
  twilio: {
    /** Messages per second for a long code (Twilio: 1). */
    longCodeMps: number;
    tollFreeMps: number;
    shortCodeMps: number;
    /** Calls per second per account (Twilio: 1 CPS). */
    callsPerSecond: number;
    /** Per-number (or messaging service SID) overrides. */
    numbers: Record<string, number>;
  };
  whatsapp: {
    /** Messages per second per phone number id (Cloud API default throughput: 80). */
    mps: number;
    numbers: Record<string, number>;
  };
  mailgun: {
    maxBatchRecipients: number;
    /** Requests per second per domain; 0 means unlimited (Mailgun has no small default). */
    requestsPerSecond: number;
    domains: Record<string, number>;
  };
}

export interface TimingSettings {
  /** Delay between the accept and the first simulated event (webhook). */
  firstEventDelayMs: number;
  /** Delay between consecutive events of one message (sent -> delivered -> opened ...). */
  eventSpacingMs: number;
  /** Webhook retry policy: attempts in total, and base of the exponential backoff. */
  webhookMaxAttempts: number;
  webhookRetryBaseMs: number;
  webhookTimeoutMs: number;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  seed?: string;
  /** false lifts every rate limit (the same as SANDBOX_RATE_LIMITS=off). */
  rateLimits?: boolean;
  /** Partial overrides of the rate-limit defaults. */
  rateLimitSettings?: DeepPartial<RateLimitSettings>;
  timing?: Partial<TimingSettings>;
  /** Keys used to sign webhooks when no per-account secret is registered. */
  defaultSecrets?: Partial<DefaultSecrets>;
  /**
   * Webhook targets used when nothing more specific is configured, so a whole stack can be
   * wired from the environment (docker-compose, `npm start`).
   */
  defaultWebhooks?: DefaultWebhooks;
  /** Messages kept in memory before the oldest are dropped. */
  maxMessages?: number;
  /**
   * false: Twilio messages are handled as if sent without a StatusCallback (no status webhooks; the states
   * still apply when a message is fetched). Lets a benchmark compare with a workflow that asks for none.
   */
  twilioStatusCallbacks?: boolean;
  /** Log one line per request to stdout. */
  log?: boolean;
}

export interface DefaultWebhooks {
  /** Every Mailgun event of every domain that has no webhook of its own. */
  mailgun?: string;
  /** Inbound SMS for every Twilio number without an SMS URL. */
  twilioSms?: string;
  /** Subscribed for all WhatsApp numbers once Meta's verify handshake succeeds (retried in the background). */
  whatsapp?: { url: string; verifyToken: string; appSecret?: string };
}

export interface DefaultSecrets {
  mailgunSigningKey: string;
  whatsappAppSecret: string;
  twilioAuthToken: string;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function defaultRateLimits(enabled: boolean): RateLimitSettings {
  return {
    enabled,
    gmail: { quotaUnitsPerSecond: 250, dailyCapWorkspace: 2000, dailyCapConsumer: 500, dailyCaps: {} },
    twilio: { longCodeMps: 1, tollFreeMps: 3, shortCodeMps: 100, callsPerSecond: 1, numbers: {} },
    whatsapp: { mps: 80, numbers: {} },
    mailgun: { maxBatchRecipients: 1000, requestsPerSecond: 0, domains: {} },
  };
}

export function defaultTiming(): TimingSettings {
  return {
    firstEventDelayMs: 100,
    eventSpacingMs: 100,
    webhookMaxAttempts: 4,
    webhookRetryBaseMs: 1000,
    webhookTimeoutMs: 10000,
  };
}

/** Deep merge for plain settings objects; records (maps of overrides) merge key by key. */
export function mergeSettings<T extends object>(base: T, patch: DeepPartial<T> | undefined): T {
  if (!patch) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const cur = out[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object') {
      out[k] = mergeSettings(cur, v);
    } else {
      out[k] = v;
    }
  }
  return out as T;
}

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** Options from the environment, as used by `npm run sandbox` (dist/main.js). */
export function optionsFromEnv(): SandboxOptions {
  const rl = (process.env.SANDBOX_RATE_LIMITS ?? '').toLowerCase();
  const timing: Partial<TimingSettings> = {};
  const firstDelay = envNumber('SANDBOX_WEBHOOK_DELAY_MS');
  if (firstDelay !== undefined) timing.firstEventDelayMs = firstDelay;
  const spacing = envNumber('SANDBOX_EVENT_SPACING_MS');
  if (spacing !== undefined) timing.eventSpacingMs = spacing;
  const attempts = envNumber('SANDBOX_WEBHOOK_MAX_ATTEMPTS');
  if (attempts !== undefined) timing.webhookMaxAttempts = attempts;
  const retryBase = envNumber('SANDBOX_WEBHOOK_RETRY_BASE_MS');
  if (retryBase !== undefined) timing.webhookRetryBaseMs = retryBase;

  const rateLimitSettings: DeepPartial<RateLimitSettings> = {
    gmail: {
      quotaUnitsPerSecond: envNumber('SANDBOX_GMAIL_QUOTA_UNITS_PER_SECOND'),
      dailyCapWorkspace: envNumber('SANDBOX_GMAIL_DAILY_CAP'),
      dailyCapConsumer: envNumber('SANDBOX_GMAIL_CONSUMER_DAILY_CAP'),
    },
    twilio: { longCodeMps: envNumber('SANDBOX_TWILIO_MPS'), callsPerSecond: envNumber('SANDBOX_TWILIO_CPS') },
    whatsapp: { mps: envNumber('SANDBOX_WHATSAPP_MPS') },
    mailgun: {
      maxBatchRecipients: envNumber('SANDBOX_MAILGUN_MAX_BATCH'),
      requestsPerSecond: envNumber('SANDBOX_MAILGUN_RPS'),
    },
  };
  const defaultSecrets: Partial<DefaultSecrets> = {};
  if (process.env.SANDBOX_MAILGUN_SIGNING_KEY) defaultSecrets.mailgunSigningKey = process.env.SANDBOX_MAILGUN_SIGNING_KEY;
  if (process.env.SANDBOX_WHATSAPP_APP_SECRET) defaultSecrets.whatsappAppSecret = process.env.SANDBOX_WHATSAPP_APP_SECRET;
  if (process.env.SANDBOX_TWILIO_AUTH_TOKEN) defaultSecrets.twilioAuthToken = process.env.SANDBOX_TWILIO_AUTH_TOKEN;

  const defaultWebhooks: DefaultWebhooks = {};
  if (process.env.SANDBOX_MAILGUN_WEBHOOK_URL) defaultWebhooks.mailgun = process.env.SANDBOX_MAILGUN_WEBHOOK_URL;
  if (process.env.SANDBOX_TWILIO_SMS_URL) defaultWebhooks.twilioSms = process.env.SANDBOX_TWILIO_SMS_URL;
  if (process.env.SANDBOX_WHATSAPP_WEBHOOK_URL) {
    defaultWebhooks.whatsapp = {
      url: process.env.SANDBOX_WHATSAPP_WEBHOOK_URL,
      verifyToken: process.env.SANDBOX_WHATSAPP_VERIFY_TOKEN ?? '',
      ...(process.env.SANDBOX_WHATSAPP_APP_SECRET ? { appSecret: process.env.SANDBOX_WHATSAPP_APP_SECRET } : {}),
    };
  }

  return {
    port: envNumber('SANDBOX_PORT') ?? 4010,
    defaultWebhooks,
    host: process.env.SANDBOX_HOST || '127.0.0.1',
    seed: process.env.SANDBOX_SEED || undefined,
    rateLimits: !(rl === 'off' || rl === 'false' || rl === '0'),
    rateLimitSettings,
    timing,
    defaultSecrets,
    maxMessages: envNumber('SANDBOX_MAX_MESSAGES'),
    twilioStatusCallbacks: !['off', 'false', '0'].includes((process.env.SANDBOX_TWILIO_STATUS_CALLBACKS ?? '').toLowerCase()),
    log: process.env.SANDBOX_LOG === '1',
  };
}
