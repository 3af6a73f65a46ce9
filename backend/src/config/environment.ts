import { plainToInstance, Transform } from 'class-transformer';
import { resolve } from 'node:path';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

/** The repository root (backend/dist/config -> ../../..; also from backend/src/config under ts runners). */
const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..');

export function resolveDataDir(value: unknown): string {
  if (typeof value !== 'string' || value === '') return resolve(REPOSITORY_ROOT, '.data');
  return resolve(process.env.INIT_CWD ?? process.cwd(), value);
}

export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  /** Unset: embedded PGlite in DATA_DIR. Set: a real PostgreSQL. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /**
   * Where the embedded database, generated secrets and the running backend's lock live. Relative paths are
   * resolved from the directory the user ran the command in (npm's INIT_CWD: `npm run cli` runs inside the
   * backend workspace), and the default is the repository's own `.data`, so `npm start` and `npm run cli`
   * find the same folder whatever the working directory.
   */
  @Transform(({ value }) => resolveDataDir(value))
  @IsString()
  DATA_DIR = resolveDataDir(undefined);

  /** 32 bytes, base64 or hex. Required in production; generated into DATA_DIR otherwise. */
  @IsOptional()
  @Matches(/^([A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/, { message: 'ENCRYPTION_KEY must be 32 bytes as base64 (44 chars) or hex (64 chars)' })
  ENCRYPTION_KEY?: string;

  /** Older keys still accepted for decryption during a rotation, comma-separated, same format. */
  @IsOptional()
  @Matches(/^(([A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64}),?)+$/, { message: 'ENCRYPTION_PREVIOUS_KEYS must be comma-separated 32-byte keys' })
  ENCRYPTION_PREVIOUS_KEYS?: string;

  @Matches(/^https?:\/\/.+/, { message: 'N8N_URL must be an http(s) URL' })
  N8N_URL = 'http://127.0.0.1:5678';

  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  /** Where n8n's production webhooks live (the Campaign Trigger); defaults to N8N_URL. */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'N8N_WEBHOOK_URL must be an http(s) URL' })
  N8N_WEBHOOK_URL?: string;

  /** Bearer token n8n uses on /internal/v1. Generated into DATA_DIR outside production. */
  @IsOptional()
  @IsString()
  @Matches(/^.{24,}$/, { message: 'INTERNAL_API_TOKEN must be at least 24 characters' })
  INTERNAL_API_TOKEN?: string;

  /** HMAC key of the triggers sent to n8n. Generated into DATA_DIR outside production. */
  @IsOptional()
  @IsString()
  @Matches(/^.{24,}$/, { message: 'TRIGGER_SIGNING_SECRET must be at least 24 characters' })
  TRIGGER_SIGNING_SECRET?: string;

  /** How long n8n holds leased messages before they return to the queue. */
  @Transform(({ value }) => (value === undefined || value === '' ? 60 : Number(value)))
  @IsInt()
  @Min(5)
  @Max(3600)
  LEASE_TTL_SECONDS = 60;

  /** A live call's concurrency slot is freed by its final status callback, or after this long if none comes. */
  @Transform(({ value }) => (value === undefined || value === '' ? 1800 : Number(value)))
  @IsInt()
  @Min(5)
  @Max(14_400)
  CALL_SLOT_TTL_SECONDS = 1800;

  /**
   * How often the deliverability guard recounts a sender's bounce, complaint and rejection rates at lease
   * (a count over its last 24 hours of messages); 0 recounts at every lease (tests).
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 30 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(3600)
  GUARD_EVALUATE_SECONDS = 30;

  /**
   * How long an `Idempotency-Key` answer is replayed (public API and n8n's result reports). Retries come
   * within minutes; the rows (one per report batch, with its answer) are deleted after this.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 24 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(720)
  IDEMPOTENCY_KEY_TTL_HOURS = 24;

  /** Scheduler period (lease expiry, due work, triggers, completion). 0 disables it (tests drive it by hand). */
  @Transform(({ value }) => (value === undefined || value === '' ? 1000 : Number(value)))
  @IsInt()
  @Min(0)
  SCHEDULER_INTERVAL_MS = 1000;

  /** How often each connected Gmail mailbox is read for replies (users.history.list); 0 turns polling off (push or tests drive it). */
  @Transform(({ value }) => (value === undefined || value === '' ? 60_000 : Number(value)))
  @IsInt()
  @Min(0)
  GMAIL_SYNC_INTERVAL_MS = 60_000;

  /** Cloud Pub/Sub topic (projects/<p>/topics/<t>) for Gmail push (users.watch); unset: polling only. */
  @IsOptional()
  @Matches(/^projects\/[^/]+\/topics\/[^/]+$/, { message: 'GMAIL_PUBSUB_TOPIC must be projects/<project>/topics/<topic>' })
  GMAIL_PUBSUB_TOPIC?: string;

  /** The secret in the push subscription's endpoint URL (/webhooks/gmail/push/<token>), at least 32 characters. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{32,}$/, { message: 'GMAIL_PUSH_TOKEN must be at least 32 URL-safe characters' })
  GMAIL_PUSH_TOKEN?: string;
  /** How often every WhatsApp channel's template catalog is re-read from Meta (status changes pause campaigns). 0 disables it. */
  @Transform(({ value }) => (value === undefined || value === '' ? 900_000 : Number(value)))
  @IsInt()
  @Min(0)
  WHATSAPP_TEMPLATE_SYNC_INTERVAL_MS = 900_000;

  /** on: channels may point `baseUrl` at hosts other than the provider's (the sandbox, a regional proxy); internal addresses still need PROVIDER_URL_ALLOWLIST. */
  @IsIn(['on', 'off'])
  CUSTOM_PROVIDER_URLS: 'on' | 'off' = 'off';

  /** Comma-separated host or host:port that custom base URLs may reach even when internal (e.g. 127.0.0.1:4010 for the sandbox). */
  @IsOptional()
  @IsString()
  PROVIDER_URL_ALLOWLIST?: string;

  /** Redis for the rate-limit counters, shared by every backend instance (unset: each instance counts alone). */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Failed authentications (bad API keys, dead sessions) per client address per minute before 429. */
  @Transform(({ value }) => (value === undefined || value === '' ? 20 : Number(value)))
  @IsInt()
  @Min(1)
  AUTH_FAILURES_PER_MINUTE = 20;

  /** Requests per minute to the public routes: per client address for sign-in, per link token for tracking and unsubscribe. */
  @Transform(({ value }) => (value === undefined || value === '' ? 120 : Number(value)))
  @IsInt()
  @Min(1)
  PUBLIC_REQUESTS_PER_MINUTE = 120;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** OAuth client (Google Cloud console, type "Web application") for sign-in and Gmail. Unset: Google sign-in and Connect Gmail are off. */
  @IsOptional()
  @IsString()
  GOOGLE_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  GOOGLE_CLIENT_SECRET?: string;

  /** One base URL for every Google endpoint below (e.g. the provider sandbox, http://127.0.0.1:4010); each can still be set on its own. */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'GOOGLE_BASE_URL must be an http(s) URL' })
  GOOGLE_BASE_URL?: string;

  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'GOOGLE_AUTH_URL must be an http(s) URL' })
  GOOGLE_AUTH_URL?: string;

  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'GOOGLE_TOKEN_URL must be an http(s) URL' })
  GOOGLE_TOKEN_URL?: string;

  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'GOOGLE_USERINFO_URL must be an http(s) URL' })
  GOOGLE_USERINFO_URL?: string;

  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'GOOGLE_REVOKE_URL must be an http(s) URL' })
  GOOGLE_REVOKE_URL?: string;

  /** Root of the Gmail API handed to n8n with each lease (default https://gmail.googleapis.com). */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'GMAIL_API_BASE_URL must be an http(s) URL' })
  GMAIL_API_BASE_URL?: string;

  /** Root of the Google Sheets API for lead imports (default https://sheets.googleapis.com; GOOGLE_BASE_URL when set). */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'SHEETS_API_BASE_URL must be an http(s) URL' })
  SHEETS_API_BASE_URL?: string;

  /** A Google Sheets import refuses a range of more data rows than this (narrow the range instead). */
  @Transform(({ value }) => (value === undefined || value === '' ? 100_000 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  SHEETS_IMPORT_MAX_ROWS = 100_000;

  /** ...or of more cells (data rows x header columns) than this. */
  @Transform(({ value }) => (value === undefined || value === '' ? 2_000_000 : Number(value)))
  @IsInt()
  @Min(1)
  SHEETS_IMPORT_MAX_CELLS = 2_000_000;

  /** A Google Sheets import (every read from Google included) ends with sheets_timeout after this long. */
  @Transform(({ value }) => (value === undefined || value === '' ? 120_000 : Number(value)))
  @IsInt()
  @Min(1000)
  SHEETS_IMPORT_TIMEOUT_MS = 120_000;

  /** Default rolling-24-hour sending caps of a newly connected mailbox (editable per mailbox). */
  @Transform(({ value }) => (value === undefined || value === '' ? 2000 : Number(value)))
  @IsInt()
  @Min(1)
  GMAIL_WORKSPACE_DAILY_CAP = 2000;

  @Transform(({ value }) => (value === undefined || value === '' ? 500 : Number(value)))
  @IsInt()
  @Min(1)
  GMAIL_CONSUMER_DAILY_CAP = 500;

  /** An access token is refreshed when it has less than this many seconds left. */
  @Transform(({ value }) => (value === undefined || value === '' ? 300 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(3000)
  GMAIL_REFRESH_SKEW_SECONDS = 300;

  /** Signs OAuth state and CSRF tokens. Unset: derived from ENCRYPTION_KEY (HKDF), so there is one secret fewer to manage. */
  @IsOptional()
  @IsString()
  @Matches(/^.{24,}$/, { message: 'SESSION_SECRET must be at least 24 characters' })
  SESSION_SECRET?: string;

  /** Web sessions last this long without use (sliding). */
  @Transform(({ value }) => (value === undefined || value === '' ? 336 : Number(value)))
  @IsInt()
  @Min(1)
  SESSION_TTL_HOURS = 336;

  /** open: a first Google sign-in of an unknown address creates an organization for it; invite: only invited users get in. Default: open outside production, invite in production. */
  @IsOptional()
  @IsIn(['open', 'invite'])
  SIGNUP_MODE?: 'open' | 'invite';

  /** The built web UI (default: the web workspace's dist folder). */
  @IsOptional()
  @IsString()
  WEB_DIST_DIR?: string;

  /** Largest CSV upload accepted, in bytes (streamed; this only bounds abuse). */
  @Transform(({ value }) => (value === undefined || value === '' ? 2 * 1024 ** 3 : Number(value)))
  @IsInt()
  @Min(1024)
  IMPORT_MAX_BYTES = 2 * 1024 ** 3;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment: ${problems.join('; ')}`);
  }
}

/** Used by ConfigModule: a bad variable stops the process and is named. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(Environment, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`));
  }
  if (env.NODE_ENV === 'production') {
    const missing = (['ENCRYPTION_KEY', 'INTERNAL_API_TOKEN', 'TRIGGER_SIGNING_SECRET', 'PUBLIC_URL'] as const).filter((k) => !env[k]);
    if (missing.length) throw new InvalidEnvironmentError(missing.map((k) => `${k}: required when NODE_ENV=production`));
  }
  return env;
}
