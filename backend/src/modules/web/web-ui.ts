import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Environment } from '../../config/environment';

/** Paths the single-page app never answers: the API, n8n's, docs, health, webhooks, tracking, OAuth. */
const SERVER_PATHS = /^\/(api|internal|docs|docs-json|health|webhooks|t|u|auth)(\/|$)/;

const CSP = [
  "default-src 'self'",
  "img-src 'self' data: https:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** The web workspace's build (`web/dist`), found from this package's location unless WEB_DIST_DIR says otherwise. */
export function webDistDir(env: Environment): string | undefined {
  if (env.WEB_DIST_DIR) return resolve(env.WEB_DIST_DIR);
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** Serves the built web UI at `/`, with index.html for every client-side route (SPA fallback). */
export function serveWebUi(app: INestApplication): void {
  const env = app.get(Environment);
  const dist = webDistDir(env);
  if (!dist || !existsSync(join(dist, 'index.html'))) {
    new Logger('WebUi').warn('The web UI is not built (npm run build -w web): only the API is served');
    return;
  }
  const assets = express.static(dist, { index: false, maxAge: '1y', immutable: true, fallthrough: true });
  const indexFile = join(dist, 'index.html');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path)) return next();
    const page = () => {
      if (!req.accepts('html')) return next();
      res.setHeader('cache-control', 'no-cache');
      res.setHeader('content-security-policy', CSP);
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'same-origin');
      res.sendFile(indexFile);
    };
    if (req.path.startsWith('/assets/')) return void assets(req, res, next);
    if (req.path !== '/' && /\.[a-z0-9]+$/i.test(req.path)) return void assets(req, res, next);
    page();
  });
}
