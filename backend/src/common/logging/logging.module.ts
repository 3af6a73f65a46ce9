import { Module, RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers } from 'pino';
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
        // One wildcard for every route: Nest mounts it under the global prefix and on each excluded path (webhooks,
        // tracking, the internal API...). nestjs-pino's default adds the excluded paths once more, and a request to
        // them then went through pino-http twice: two log lines and twice the logging work on the busiest routes.
        // `{*path}` is Nest 11's spelling (path-to-regexp 8) of the old `*`, which it converts with a warning at start.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: PINO_LEVELS[env.LOG_LEVEL],
          genReqId: requestId,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // Probes answer every few seconds: their lines would drown the rest.
          autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
          // Our own request serializer takes the raw request: wrapped (pino-http's default), pino's standard one
          // first copied every header and parsed the query string of each request to make the request logger,
          // whatever the level, only for this one to keep three fields of it.
          wrapSerializers: false,
          serializers: {
            req: (req: IncomingMessage & { id: string; originalUrl?: string }) => ({
              id: req.id,
              method: req.method,
              // Express strips a middleware's mount path from `url` while it runs; `originalUrl` is the whole path.
              url: (req.originalUrl ?? req.url ?? '').replace(/^\/(t\/[oc]|u)\/[^/?]+/, '/$1/[token]').replace(/\?.*$/, ''),
            }),
            res: stdSerializers.res,
            err: stdSerializers.err,
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
