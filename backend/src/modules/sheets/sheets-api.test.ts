import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AppError } from '../../common/errors/app-error';
import type { Environment } from '../../config/environment';
import type { SheetsAccess } from './sheets-access';
import { SheetsApi } from './sheets-api';
import { SheetReader } from './sheet-reader';

const ID = '1SheetsApiTest00000000000000000000000000001';

/**
 * What Google can do besides answering well, against the real client (@googleapis/sheets over gaxios): never
 * answer (the import's deadline ends it), throttle, fail. Each becomes a stable code, never a 500.
 */
describe('Sheets reads when Google is slow or failing', () => {
  let server: Server;
  let base: string;
  let mode: 'hang' | '429' | '500' = 'hang';

  beforeAll(async () => {
    server = createServer((_req, res) => {
      if (mode === 'hang') return; // the request is held open
      res.writeHead(mode === '429' ? 429 : 500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { code: Number(mode), message: 'Quota exceeded', status: mode === '429' ? 'RESOURCE_EXHAUSTED' : 'INTERNAL' },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const reader = () => {
    const env = {
      SHEETS_API_BASE_URL: base,
      SHEETS_IMPORT_TIMEOUT_MS: 500,
      SHEETS_IMPORT_MAX_ROWS: 1000,
      SHEETS_IMPORT_MAX_CELLS: 10_000,
    } as Environment;
    const access = {
      open: async () => ({ account: {}, read: (fn: (token: string) => Promise<unknown>) => fn('ya29.test') }),
    } as unknown as SheetsAccess;
    return new SheetReader(new SheetsApi(env), access, env);
  };
  const code = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (error) {
      assert.ok(error instanceof AppError, String(error));
      return error.code;
    }
    return 'no error';
  };

  it('a Google that never answers ends at the import deadline with 504 sheets_timeout', async () => {
    mode = 'hang';
    const started = Date.now();
    assert.equal(await code(reader().rows('org', 'account', { spreadsheet: ID, range: 'A1:B' })), 'sheets_timeout');
    const took = Date.now() - started;
    assert.ok(took >= 450 && took < 5000, `took ${took} ms`);
  });

  it('a throttled or failing Google is 502 sheets_unavailable', async () => {
    mode = '429';
    assert.equal(await code(reader().preview('org', 'account', { spreadsheet: ID })), 'sheets_unavailable');
    mode = '500';
    assert.equal(await code(reader().preview('org', 'account', { spreadsheet: ID })), 'sheets_unavailable');
  });
});
