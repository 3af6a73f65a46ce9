import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { Request } from 'express';
import { validateEnvironment } from '../../config/environment';
import { cookieOptions, safeReturnTo, secureCookies } from './cookies';

const req = (host: string, protocol = 'http') =>
  ({ protocol, get: (h: string) => (h.toLowerCase() === 'host' ? host : undefined) }) as unknown as Request;

describe('web session cookies', () => {
  it('are Secure everywhere but on a loopback origin', () => {
    const local = validateEnvironment({});
    assert.equal(secureCookies(local, req('127.0.0.1:3000')), false);
    assert.equal(secureCookies(local, req('localhost:3000')), false);
    assert.equal(secureCookies(local, req('cadence.example.com')), true);
    assert.equal(secureCookies(validateEnvironment({ PUBLIC_URL: 'https://cadence.example.com' }), req('127.0.0.1:3000')), true);
    assert.equal(secureCookies(validateEnvironment({ PUBLIC_URL: 'http://10.0.0.5:3000' }), req('10.0.0.5:3000')), true);
  });

  it('are httpOnly and SameSite=Lax (the OAuth callback is a cross-site top-level navigation)', () => {
    const options = cookieOptions(validateEnvironment({}), req('127.0.0.1:3000'), 1000);
    assert.equal(options.httpOnly, true);
    assert.equal(options.sameSite, 'lax');
    assert.equal(options.path, '/');
  });

  it('returnTo stays on this site', () => {
    assert.equal(safeReturnTo('/settings?tab=mail'), '/settings?tab=mail');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/a b', undefined, 42]) {
      assert.equal(safeReturnTo(bad), '/settings', String(bad));
    }
  });
});
