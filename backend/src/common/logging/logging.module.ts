import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from '../../config/environment';

/** Nest's level names onto pino's. */
const PINO_LEVELS: Record<Environment['LOG_LEVEL'], string> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Credentials and link tokens that may travel in a request or response: never written to a log line,
 * whatever logs a request (pino-http) or an error.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-admin-token"]',
  'req.headers["x-cadence-signature"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
];

/** An incoming X-Request-Id is kept when it looks like an id (a proxy's); otherwise one is made. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[A-Za-z0-9._-]{8,128}$/.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/**
 * Structured JSON logs (pino): one line per request with its id, method, route, status and time, and
 * Nest's own logs through the same logger, with secrets redacted. Link tokens (tracking, unsubscribe,
 * webhooks' channel ids are fine) are cut from logged URLs.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        pinoHttp: {
          level: PINO_LEVELS[env.LOG_LEVEL],
          genReqId: requestId,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // Probes answer every few seconds: their lines would drown the rest.
          autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url.replace(/^\/(t\/[oc]|u)\/[^/?]+/, '/$1/[token]').replace(/\?.*$/, ''),
            }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
