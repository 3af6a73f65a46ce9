import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

/** A stand-in for n8n's /healthz/readiness. */
async function fakeN8n(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/healthz/readiness' ? 200 : 404, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

for (const embedded of [false, true]) {
  describe(`liveness and readiness on ${embedded ? 'PGlite' : 'PostgreSQL'}`, () => {
    let down: TestApp;
    let up: TestApp;
    let n8n: { server: Server; url: string };

    beforeAll(async () => {
      n8n = await fakeN8n();
      down = await startTestApp({ embedded });
      up = await startTestApp({ embedded, env: { N8N_URL: n8n.url } });
    });
    afterAll(async () => {
      await down.close();
      await up.close();
      n8n.server.close();
    });

    it('/health/live answers 200 whatever the dependencies', async () => {
      assert.equal((await down.request('GET', '/health/live')).status, 200);
    });

    it('/health/ready answers 503 naming n8n when n8n is not ready, the database being up', async () => {
      const res = await down.request('GET', '/health/ready');
      assert.equal(res.status, 503, JSON.stringify(res.body));
      assert.equal(res.body.code, 'not_ready');
      assert.match(res.body.message, /n8n/);
      assert.equal(res.body.details.database.status, 'up');
      assert.equal(res.body.details.n8n.status, 'down');
    });

    it('/health/ready answers 200 when the database and n8n are both ready', async () => {
      const res = await up.request('GET', '/health/ready');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'ok');
    });
  });
}
