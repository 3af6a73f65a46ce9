import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { beforeEach, describe, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { CookieOptions, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box';
import { AppError } from '../../common/errors/app-error';
import { Environment, validateEnvironment } from '../../config/environment';
import { User } from '../users/user.entity';
import { AuthKeys, sha256 } from './auth-keys';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './cookies';
import { SessionsService } from './sessions.service';
import { UserSession } from './user-session.entity';

const HOUR = 3_600_000;

/** A browser's side of a request: cookies in, cookies out. */
function browser(host = '127.0.0.1:3000') {
  const jar: Record<string, { value: string; options: CookieOptions }> = {};
  const cleared: string[] = [];
  const res = {
    cookie: (name: string, value: string, options: CookieOptions) => (jar[name] = { value, options }),
    clearCookie: (name: string) => cleared.push(name),
  } as unknown as Response;
  const req = (method = 'GET', headers: Record<string, string> = {}) =>
    ({
      method,
      protocol: 'http',
      cookies: Object.fromEntries(Object.entries(jar).map(([k, v]) => [k, v.value])),
      get: (name: string) => (name.toLowerCase() === 'host' ? host : headers[name.toLowerCase()]),
    }) as unknown as Request;
  return { jar, cleared, res, req };
}

describe('web sessions (Nest testing module, DataSource overridden)', () => {
  let service: SessionsService;
  let rows: UserSession[];
  const env = validateEnvironment({ SESSION_TTL_HOURS: '2' });
  const user = { id: randomUUID(), organizationId: randomUUID() } as User;

  beforeEach(async () => {
    rows = [];
    const repo = {
      save: async (values: Partial<UserSession>) => {
        const row = Object.assign(new UserSession(), { id: randomUUID(), ...values });
        rows.push(row);
        return row;
      },
      findOneBy: async ({ id }: { id: string }) => rows.find((r) => r.id === id) ?? null,
      update: async ({ id }: { id: string }, patch: Partial<UserSession>) => void Object.assign(rows.find((r) => r.id === id) ?? {}, patch),
      delete: async (where: { id?: string }) => {
        if (where.id) rows = rows.filter((r) => r.id !== where.id);
      },
    };
    const module = await Test.createTestingModule({
      providers: [
        SessionsService,
        { provide: Environment, useValue: env },
        { provide: AuthKeys, useValue: new AuthKeys(env, new SecretBox(randomBytes(32))) },
        { provide: DataSource, useValue: {} },
      ],
    })
      .overrideProvider(DataSource)
      .useValue({
        getRepository: (entity: unknown) => (entity === UserSession ? repo : assert.fail(`unexpected repository ${String(entity)}`)),
      })
      .compile();
    service = module.get(SessionsService);
  });

  it('a sign-in sets an httpOnly session cookie and a readable CSRF cookie, and stores only the secret hash', async () => {
    const b = browser();
    const session = await service.start(user, b.req(), b.res);
    const [id, secret] = b.jar[SESSION_COOKIE].value.split('.');
    assert.equal(id, session.id);
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(rows[0].secretHash, sha256(secret));
    assert.ok(!JSON.stringify(rows).includes(secret), 'the secret itself is not stored');
    assert.deepEqual(b.jar[SESSION_COOKIE].options, { httpOnly: true, sameSite: 'lax', secure: false, path: '/', maxAge: 2 * HOUR });
    assert.equal(b.jar[CSRF_COOKIE].options.httpOnly, false);
    assert.equal(b.jar[CSRF_COOKIE].value, service.csrfToken(session.id));
    assert.equal(session.expiresAt.getTime() - session.lastSeenAt.getTime(), 2 * HOUR);
  });

  it('cookies are Secure off loopback', async () => {
    const b = browser('cadence.example.com');
    await service.start(user, b.req(), b.res);
    assert.equal(b.jar[SESSION_COOKIE].options.secure, true);
  });

  it('finds the session of a valid cookie only: not a wrong secret, a malformed cookie or an expired session', async () => {
    const b = browser();
    const session = await service.start(user, b.req(), b.res);
    const cookie = b.jar[SESSION_COOKIE].value;
    assert.equal((await service.find(cookie))?.id, session.id);
    assert.equal(await service.find(`${session.id}.${'A'.repeat(43)}`), undefined);
    assert.equal(await service.find(`${session.id}.short`), undefined);
    assert.equal(await service.find(undefined), undefined);
    assert.equal(await service.find(`${randomUUID()}.${cookie.split('.')[1]}`), undefined, 'the secret of another id');
    rows[0].expiresAt = new Date(Date.now() - 1);
    assert.equal(await service.find(cookie), undefined);
  });

  it('slides the expiry of a session used after more than five minutes', async () => {
    const b = browser();
    await service.start(user, b.req(), b.res);
    const old = new Date(Date.now() - 10 * 60_000);
    rows[0].lastSeenAt = old;
    rows[0].expiresAt = new Date(old.getTime() + 2 * HOUR);
    await service.find(b.jar[SESSION_COOKIE].value);
    await new Promise((r) => setImmediate(r));
    assert.ok(rows[0].lastSeenAt.getTime() > old.getTime());
    assert.ok(rows[0].expiresAt.getTime() > old.getTime() + 2 * HOUR);
  });

  it('reads need the cookie; writes also need the session CSRF token in the header', async () => {
    const b = browser();
    const session = await service.start(user, b.req(), b.res);
    assert.deepEqual(await service.authenticateRequest(b.req('GET')), {
      organizationId: user.organizationId,
      userId: user.id,
      sessionId: session.id,
    });
    const refused = async (req: Request) => {
      const error = await service.authenticateRequest(req).then(
        () => undefined,
        (e: unknown) => e,
      );
      return error instanceof AppError ? error.code : String(error);
    };
    assert.equal(await refused(b.req('POST')), 'csrf_failed');
    assert.equal(
      await refused(b.req('DELETE', { [CSRF_HEADER]: service.csrfToken(randomUUID()) })),
      'csrf_failed',
      "another session's token",
    );
    assert.deepEqual(await service.authenticateRequest(b.req('POST', { [CSRF_HEADER]: b.jar[CSRF_COOKIE].value })), {
      organizationId: user.organizationId,
      userId: user.id,
      sessionId: session.id,
    });
    assert.equal(await service.authenticateRequest(browser().req('GET')), undefined, 'no cookie, no session');
  });

  it('sign-out checks CSRF, deletes the session and clears both cookies', async () => {
    const b = browser();
    await service.start(user, b.req(), b.res);
    await assert.rejects(service.end(b.req('POST'), b.res), (e: unknown) => e instanceof AppError && e.code === 'csrf_failed');
    assert.equal(rows.length, 1);
    await service.end(b.req('POST', { [CSRF_HEADER]: b.jar[CSRF_COOKIE].value }), b.res);
    assert.equal(rows.length, 0);
    assert.deepEqual(b.cleared.slice(-2), [SESSION_COOKIE, CSRF_COOKIE]);
  });
});
