import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

describe('the OpenAPI document states the API key truthfully', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('bearer auth is an opaque cad_ API key, not a JWT', async () => {
    const doc = (await t.request('GET', '/docs-json')).body as {
      components: { securitySchemes: Record<string, { type: string; scheme: string; bearerFormat?: string }> };
    };
    const schemes = Object.values(doc.components.securitySchemes);
    assert.equal(schemes.length, 1);
    assert.equal(schemes[0].scheme, 'bearer');
    assert.match(schemes[0].bearerFormat ?? '', /^cad_/);
    assert.doesNotMatch(JSON.stringify(doc.components.securitySchemes), /JWT/);
  });
});
