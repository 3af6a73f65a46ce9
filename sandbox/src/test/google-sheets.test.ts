import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { OAuth2Client } from 'google-auth-library';
import { sheets as sheetsApi } from '@googleapis/sheets';
import type { RunningSandbox } from '../sandbox-server';
import { api, testSandbox } from './helpers';

const CLIENT_ID = 'cadence-test.apps.googleusercontent.com';
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const READONLY = 'https://www.googleapis.com/auth/spreadsheets.readonly';
const SEND = 'https://www.googleapis.com/auth/gmail.send';
const OWNER = 'sales@acme.test';
const ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';

type GoogleError = { response?: { status?: number; data?: { error?: Record<string, unknown> } } };

/** The official client's error, to compare with Google's documented shapes. */
async function failure(p: Promise<unknown>): Promise<{ status?: number; error: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const r = (e as GoogleError).response;
    return { status: r?.status, error: r?.data?.error ?? {} };
  }
  throw new Error('the call succeeded');
}

describe('google sheets api v4', () => {
  let sb: RunningSandbox;
  const client = () => sheetsApi({ version: 'v4', rootUrl: `${sb.url}/` });
  const token = (scopes: string[], email = OWNER) => sb.states.oauth.issueAccessToken(CLIENT_ID, email, scopes).token;
  const auth = (t: string) => ({ headers: { Authorization: `Bearer ${t}` }, retry: false });

  const seed = (body: Record<string, unknown>, id = ID) => api(sb.url, 'PUT', `/_sandbox/google/spreadsheets/${id}`, body);

  beforeAll(async () => {
    sb = await testSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(async () => {
    sb.reset(true);
    const seeded = await seed({
      title: 'Seed 001 contacts',
      owner: OWNER,
      sharedWith: ['ops@acme.test'],
      sheets: [
        {
          title: 'Sheet1',
          rows: [
            ['email', 'first_name', 'phone', 'score'],
            ['ada@example.com', 'Ada', '+14155550101', 42],
            ['grace@example.com', 'Grace', '', true],
            [],
            ['alan@example.com', 'Alan', '+14155550103', ''],
          ],
        },
        { title: 'My leads', rows: [['Email'], ['b@example.com']], rowCount: 10, columnCount: 3 },
      ],
    });
    assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
  });

  it('spreadsheets.get answers the title, the url and each tab with its grid size', async () => {
    const res = await client().spreadsheets.get({ spreadsheetId: ID }, auth(token([READONLY])));
    assert.equal(res.data.spreadsheetId, ID);
    assert.equal(res.data.properties?.title, 'Seed 001 contacts');
    assert.equal(res.data.spreadsheetUrl, `https://docs.google.com/spreadsheets/d/${ID}/edit`);
    assert.deepEqual(
      res.data.sheets?.map((s) => [s.properties?.sheetId, s.properties?.title, s.properties?.index, s.properties?.gridProperties]),
      [
        [0, 'Sheet1', 0, { rowCount: 1000, columnCount: 26 }],
        [100_000 + 7919, 'My leads', 1, { rowCount: 10, columnCount: 3 }],
      ],
    );
  });

  it('values.get reads an open-ended A1 range: formatted values, empty rows inside kept, trailing cells and rows dropped', async () => {
    const res = await client().spreadsheets.values.get({ spreadsheetId: ID, range: 'Sheet1!A1:F' }, auth(token([READONLY])));
    assert.equal(res.data.range, 'Sheet1!A1:F1000', 'the open end is the grid');
    assert.equal(res.data.majorDimension, 'ROWS');
    assert.deepEqual(res.data.values, [
      ['email', 'first_name', 'phone', 'score'],
      ['ada@example.com', 'Ada', '+14155550101', '42'],
      ['grace@example.com', 'Grace', '', 'TRUE'],
      [],
      ['alan@example.com', 'Alan', '+14155550103'],
    ]);
    const raw = await client().spreadsheets.values.get(
      { spreadsheetId: ID, range: 'B2:D3', valueRenderOption: 'UNFORMATTED_VALUE' },
      auth(token([READONLY])),
    );
    assert.equal(raw.data.range, 'Sheet1!B2:D3', 'no tab named: the first one');
    assert.deepEqual(raw.data.values, [
      ['Ada', '+14155550101', 42],
      ['Grace', '', true],
    ]);
    const quoted = await client().spreadsheets.values.get({ spreadsheetId: ID, range: "'My leads'!A:C" }, auth(token([READONLY])));
    assert.equal(quoted.data.range, "'My leads'!A1:C10");
    assert.deepEqual(quoted.data.values, [['Email'], ['b@example.com']]);
    const empty = await client().spreadsheets.values.get({ spreadsheetId: ID, range: 'Sheet1!A20:B30' }, auth(token([READONLY])));
    assert.equal(empty.data.values, undefined, 'Google leaves values out of an empty range');
    const shared = await client().spreadsheets.values.get(
      { spreadsheetId: ID, range: 'Sheet1!A1' },
      auth(token([READONLY], 'ops@acme.test')),
    );
    assert.deepEqual(shared.data.values, [['email']]);
  });

  it('a bad range, an unknown tab and a range past the grid are 400 INVALID_ARGUMENT', async () => {
    const t = token([READONLY]);
    for (const [range, message] of [
      ['Sheet1!A1:B:C', 'Unable to parse range: Sheet1!A1:B:C'],
      ['Nope!A1:B2', 'Unable to parse range: Nope!A1:B2'],
      ['Sheet1!A1:AA5', "Range ('Sheet1'!A1:AA5) exceeds grid limits. Max rows: 1000, max columns: 26"],
    ]) {
      const f = await failure(client().spreadsheets.values.get({ spreadsheetId: ID, range }, auth(t)));
      assert.equal(f.status, 400, range);
      assert.deepEqual(f.error, { code: 400, message, status: 'INVALID_ARGUMENT' });
    }
  });

  it('404 NOT_FOUND for an unknown spreadsheet; 403 PERMISSION_DENIED for one not shared with the account', async () => {
    const missing = await failure(client().spreadsheets.get({ spreadsheetId: 'x'.repeat(44) }, auth(token([READONLY]))));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.error, { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' });
    const stranger = await failure(
      client().spreadsheets.values.get({ spreadsheetId: ID, range: 'A1' }, auth(token([READONLY], 'eve@evil.test'))),
    );
    assert.equal(stranger.status, 403);
    assert.deepEqual(stranger.error, { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' });
  });

  it('a token without a Sheets scope is 403 PERMISSION_DENIED with ACCESS_TOKEN_SCOPE_INSUFFICIENT; no token is 401', async () => {
    const f = await failure(client().spreadsheets.values.get({ spreadsheetId: ID, range: 'A1' }, auth(token(['openid', 'email', SEND]))));
    assert.equal(f.status, 403);
    assert.equal(f.error.status, 'PERMISSION_DENIED');
    assert.equal(f.error.message, 'Request had insufficient authentication scopes.');
    const [info] = f.error.details as Array<{ '@type': string; reason: string; metadata: { service: string; method: string } }>;
    assert.equal(info['@type'], 'type.googleapis.com/google.rpc.ErrorInfo');
    assert.equal(info.reason, 'ACCESS_TOKEN_SCOPE_INSUFFICIENT');
    assert.equal(info.metadata.method, 'google.apps.sheets.v4.SpreadsheetsService.GetValues');
    const raw = await fetch(`${sb.url}/v4/spreadsheets/${ID}`, { headers: { authorization: `Bearer ${token([SEND])}` } });
    assert.match(raw.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
    // The broader scopes read too.
    for (const scope of ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/drive.readonly']) {
      const ok = await client().spreadsheets.get({ spreadsheetId: ID }, auth(token([scope])));
      assert.equal(ok.status, 200, scope);
    }
    const anonymous = await failure(client().spreadsheets.get({ spreadsheetId: ID }, auth('ya29.nope')));
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.error.status, 'UNAUTHENTICATED');
  });

  it('an incremental grant (include_granted_scopes) adds spreadsheets.readonly to what the account granted before', async () => {
    const oauth = new OAuth2Client({
      clientId: CLIENT_ID,
      clientSecret: 'secret',
      redirectUri: REDIRECT,
      endpoints: { oauth2AuthBaseUrl: `${sb.url}/o/oauth2/v2/auth`, oauth2TokenUrl: `${sb.url}/token` },
    });
    const grant = async (scope: string[]) => {
      const url = new URL(
        oauth.generateAuthUrl({ access_type: 'offline', prompt: 'consent', scope, include_granted_scopes: true, login_hint: OWNER }),
      );
      url.searchParams.set('sandbox_decision', 'allow');
      const back = await fetch(url, { redirect: 'manual' });
      const code = new URL(back.headers.get('location')!).searchParams.get('code')!;
      return (await oauth.getToken(code)).tokens;
    };
    const first = await grant(['openid', 'email', SEND]);
    assert.equal((await failure(client().spreadsheets.get({ spreadsheetId: ID }, auth(first.access_token!)))).status, 403);
    const second = await grant(['openid', 'email', READONLY]);
    assert.ok(second.scope!.split(' ').includes(SEND) && second.scope!.split(' ').includes(READONLY), second.scope);
    const res = await client().spreadsheets.values.get({ spreadsheetId: ID, range: 'Sheet1!A1:A2' }, auth(second.access_token!));
    assert.deepEqual(res.data.values, [['email'], ['ada@example.com']]);
  });

  it('the control API validates seeds, lists spreadsheets with their read counts and deletes them', async () => {
    assert.equal((await seed({ owner: OWNER, sheets: [] })).status, 400);
    assert.equal((await seed({ owner: OWNER, sheets: [{ rows: [[{ nested: true }]] }] })).status, 400);
    assert.equal((await seed({ owner: OWNER, sheets: [{ rows: [] }] }, 'short')).status, 400);
    await client().spreadsheets.values.get({ spreadsheetId: ID, range: 'A1' }, auth(token([READONLY])));
    const one = await api<{ valueReads: number; sheets: Array<{ title: string; rows: number }> }>(
      sb.url,
      'GET',
      `/_sandbox/google/spreadsheets/${ID}`,
    );
    assert.equal(one.body.valueReads, 1);
    assert.deepEqual(
      one.body.sheets.map((s) => [s.title, s.rows]),
      [
        ['Sheet1', 5],
        ['My leads', 2],
      ],
    );
    assert.equal((await api<{ items: unknown[] }>(sb.url, 'GET', '/_sandbox/google/spreadsheets')).body.items.length, 1);
    assert.equal((await api(sb.url, 'DELETE', `/_sandbox/google/spreadsheets/${ID}`)).status, 200);
    assert.equal((await api(sb.url, 'GET', `/_sandbox/google/spreadsheets/${ID}`)).status, 404);
  });
});
