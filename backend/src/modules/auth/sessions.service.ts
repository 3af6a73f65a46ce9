import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { DataSource, LessThan } from 'typeorm';
import { AuthContext } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { User } from '../users/user.entity';
import { AuthKeys, safeEqual, sha256 } from './auth-keys';
import { cookieOptions, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './cookies';
import { UserSession } from './user-session.entity';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Sliding expiry is written at most this often per session. */
const TOUCH_INTERVAL_MS = 5 * 60_000;

/** Web sessions: a random cookie, stored hashed in PostgreSQL; CSRF by a session-bound double-submit token. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly keys: AuthKeys,
  ) {}

  private get ttlMs(): number {
    return this.env.SESSION_TTL_HOURS * 3_600_000;
  }

  /** Starts a session for `user` and sets its cookies on `res`. */
  async start(user: User, req: Request, res: Response): Promise<UserSession> {
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = await this.dataSource.getRepository(UserSession).save({
      organizationId: user.organizationId,
      userId: user.id,
      secretHash: sha256(secret),
      expiresAt: new Date(now.getTime() + this.ttlMs),
      lastSeenAt: now,
    });
    res.cookie(SESSION_COOKIE, `${session.id}.${secret}`, cookieOptions(this.env, req, this.ttlMs));
    res.cookie(CSRF_COOKIE, this.keys.csrfToken(session.id), cookieOptions(this.env, req, this.ttlMs, false));
    // Expired sessions go away as new ones arrive; no timer needed.
    void this.dataSource
      .getRepository(UserSession)
      .delete({ expiresAt: LessThan(now) })
      .catch(() => undefined);
    return session;
  }

  /** The session a cookie names, if it is valid and unexpired. */
  async find(cookie: string | undefined): Promise<UserSession | undefined> {
    const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(cookie ?? '');
    if (!match) return undefined;
    const session = await this.dataSource.getRepository(UserSession).findOneBy({ id: match[1] });
    if (!session || !safeEqual(session.secretHash, sha256(match[2])) || session.expiresAt.getTime() <= Date.now()) return undefined;
    if (Date.now() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      const now = new Date();
      void this.dataSource
        .getRepository(UserSession)
        .update({ id: session.id }, { lastSeenAt: now, expiresAt: new Date(now.getTime() + this.ttlMs) })
        .catch(() => undefined);
    }
    return session;
  }

  fromRequest(req: Request): Promise<UserSession | undefined> {
    return this.find((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
  }

  /**
   * The guard's cookie path: a valid session authenticates; a state-changing request must also echo
   * the session's CSRF token in `X-CSRF-Token` (a cross-site form or fetch cannot read it).
   */
  async authenticateRequest(req: Request): Promise<AuthContext | undefined> {
    const session = await this.fromRequest(req);
    if (!session) return undefined;
    if (!SAFE_METHODS.has(req.method.toUpperCase())) this.checkCsrf(req, session);
    return { organizationId: session.organizationId, userId: session.userId, sessionId: session.id };
  }

  checkCsrf(req: Request, session: UserSession): void {
    const given = req.get(CSRF_HEADER) ?? '';
    if (!given || !safeEqual(given, this.keys.csrfToken(session.id))) {
      throw new AppError('csrf_failed', 'Missing or wrong X-CSRF-Token header (reload the page and try again)');
    }
  }

  csrfToken(sessionId: string): string {
    return this.keys.csrfToken(sessionId);
  }

  async end(req: Request, res: Response): Promise<void> {
    const session = await this.fromRequest(req);
    if (session) {
      this.checkCsrf(req, session);
      await this.dataSource.getRepository(UserSession).delete({ id: session.id });
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.clearCookie(CSRF_COOKIE, { path: '/' });
  }
}
