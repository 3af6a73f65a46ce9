import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

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

  @IsString()
  DATA_DIR = '.data';

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

  /** Scheduler period (lease expiry, due work, triggers, completion). 0 disables it (tests drive it by hand). */
  @Transform(({ value }) => (value === undefined || value === '' ? 1000 : Number(value)))
  @IsInt()
  @Min(0)
  SCHEDULER_INTERVAL_MS = 1000;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

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
    throw new InvalidEnvironmentError(
      errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`),
    );
  }
  if (env.NODE_ENV === 'production') {
    const missing = (['ENCRYPTION_KEY', 'INTERNAL_API_TOKEN', 'TRIGGER_SIGNING_SECRET', 'PUBLIC_URL'] as const).filter((k) => !env[k]);
    if (missing.length) throw new InvalidEnvironmentError(missing.map((k) => `${k}: required when NODE_ENV=production`));
  }
  return env;
}
