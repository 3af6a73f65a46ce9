import 'reflect-metadata';
import { INestApplication, LogLevel, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { Logger as PinoLogger } from 'nestjs-pino';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { requestShapeGuard } from './common/http/request-shape.guard';
import { createValidationPipe } from './common/http/validation.pipe';
import { Environment } from './config/environment';
import { serveWebUi } from './modules/web/web-ui';
import { buildOpenApiDocument } from './openapi/openapi-document';

export const API_PREFIX = 'api/v1';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the fully configured application; `main.ts` listens on it, tests boot the very same thing. */
export async function createApp(overrides: Partial<Record<keyof Environment, string>> = {}): Promise<INestApplication> {
  const level = (overrides.LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'log') as LogLevel;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(overrides), {
    logger: LEVELS.slice(0, LEVELS.indexOf(level) + 1),
    // Held until the JSON logger below takes over, so even bootstrap lines come out structured.
    bufferLogs: true,
    bodyParser: false,
    // Webhook signatures (Meta, Mailgun) are computed over the exact bytes received.
    rawBody: true,
  });
  app.useLogger(app.get(PinoLogger));
  // CSV imports stream their body, so the JSON parser must leave text/csv and multipart alone.
  // strict: false so that a bare JSON value reaches requestShapeGuard, which says what is wrong with it
  // (strict parsing answered "not valid JSON" to a valid JSON string).
  app.useBodyParser('json', { limit: '10mb', strict: false });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  app.use(requestShapeGuard);
  // Security headers on every answer (no framing, nosniff, HSTS off loopback, no X-Powered-By). The CSP is the
  // web UI's own (web-ui.ts) and the API docs page needs its inline scripts, so helmet's CSP stays off.
  app.use(helmet({ contentSecurityPolicy: false, frameguard: { action: 'deny' }, crossOriginResourcePolicy: { policy: 'same-site' } }));
  // Web sessions (the UI) ride on cookies; API keys do not need them.
  app.use(cookieParser());
  serveWebUi(app);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/{*path}', method: RequestMethod.GET },
      { path: 'internal/cli', method: RequestMethod.POST },
      { path: 'internal/v1/{*path}', method: RequestMethod.ALL },
      { path: 'webhooks/{*path}', method: RequestMethod.ALL },
      { path: 't/{*path}', method: RequestMethod.ALL },
      { path: 'u/{*path}', method: RequestMethod.ALL },
      { path: 'auth/{*path}', method: RequestMethod.ALL },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  // SIGTERM/SIGINT only: listening for every signal (the default) installs a SIGSEGV handler that replaces
  // V8's WebAssembly trap handler, and a fault in the embedded database (PGlite is WASM) then re-runs forever.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const document = await buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
