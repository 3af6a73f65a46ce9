import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { CookieJar, GoogleStack, navigate, runFlow, startGoogleSandbox } from '../../test/google-flow';
import { startTestApp, TestApp } from '../../test/test-app';
import { GMAIL_SEND_SCOPE, SHEETS_READ_SCOPE } from '../auth/google-endpoints';

const SPREADSHEET = '1SheetsImportTest000000000000000000000000001';
const URL_OF = (id: string) => `https://docs.google.com/spreadsheets/d/${id}/edit#gid=0`;
const HEADER = ['Work Email', 'First Name', 'Mobile', 'SMS Consent', 'Plan'];
const DATA_ROWS = 10_000;

/**
 * 10,000 data rows with bad ones at known places: what a CSV export of the same sheet holds, line for line (row 1
 * the header). Row numbers are the sheet's, so the two imports must report the same rows with the same codes.
 */
function seedRows(): string[][] {
  const rows: string[][] = [HEADER];
  for (let i = 1; i <= DATA_ROWS; i++) {
    const n = String(i).padStart(5, '0');
    let row = [
      `lead${n}@example.com`,
      `Lead ${n}`,
      `+1415555${String(i % 10_000).padStart(4, '0')}`,
      i % 2 ? 'yes' : 'no',
      i % 3 ? 'pro' : 'free',
    ];
    if (i % 1000 === 7) row = [`not-an-email-${n}`, 'Bad', '', 'yes', 'pro'];
    if (i % 1000 === 123) row = [`phone${n}@example.com`, 'Bad', '12', 'yes', 'pro'];
    if (i % 2500 === 500) row = [`consent${n}@example.com`, 'Bad', '', 'maybe', 'pro'];
    if (i % 5000 === 4242) row = ['', 'Nobody', '', '', 'pro'];
    if (i === 9000) row = [];
    rows.push(row);
  }
  return rows;
}

const toCsv = (rows: string[][]) =>
  rows.map((r) => (r.length ? [...r, ...Array(HEADER.length - r.length).fill('')] : Array(HEADER.length).fill('')).join(',')).join('\n');

describe('lead import from Google Sheets through a connected mailbox (real PostgreSQL + the sandbox)', () => {
  let t: TestApp;
  let google: GoogleStack;
  let jar: CookieJar;
  let key: string;
  let other: { organizationId: string; apiKey: string };
  let accountId: string;

  const seed = async (id: string, body: Record<string, unknown>) => {
    const res = await fetch(`${google.sandbox.url}/_sandbox/google/spreadsheets/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.text());
  };
  const importSheet = (body: Record<string, unknown>, k = key) =>
    t.request('POST', '/api/v1/leads/import/sheets', { key: k, body: { accountId, spreadsheetId: URL_OF(SPREADSHEET), ...body } });
  const preview = (query = '', id = URL_OF(SPREADSHEET), k = key) =>
    t.request('GET', `/api/v1/sheets/${accountId}/spreadsheets/${encodeURIComponent(id)}${query}`, { key: k });
  /** How many values.get calls the sandbox's Google answered for the test sheet. */
  const valueReads = async () => {
    const res = await fetch(`${google.sandbox.url}/_sandbox/google/spreadsheets/${SPREADSHEET}`);
    return ((await res.json()) as { valueReads: number }).valueReads;
  };
  const mapping = {
    'Work Email': 'email',
    'First Name': 'firstName',
    Mobile: 'phone',
    'SMS Consent': 'consent.sms',
    Plan: 'attributes.plan',
  };

  beforeAll(async () => {
    google = await startGoogleSandbox();
    t = await startTestApp({ env: { ...google.env, SCHEDULER_INTERVAL_MS: '0', SIGNUP_MODE: 'open', SHEETS_IMPORT_MAX_ROWS: '20000' } });
    jar = new CookieJar();
    await runFlow(`${t.baseUrl}/auth/google`, jar, t.baseUrl, { email: 'ann@acme.test' });
    const session = await t.request('GET', '/api/v1/session', { headers: { cookie: jar.header() } });
    const csrf = session.body.csrfToken as string;
    const issued = await t.request('POST', '/api/v1/api-keys', {
      body: { name: 'sheets test' },
      headers: { cookie: jar.header(), 'x-csrf-token': csrf },
    });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    key = issued.body.key;
    await runFlow(`${t.baseUrl}/auth/gmail/connect`, jar, t.baseUrl, { email: 'sales@acme.test' });
    const accounts = (await t.request('GET', '/api/v1/email-accounts', { key })).body.items;
    accountId = accounts[0].id;
    other = await t.createOrg('Other');
    await seed(SPREADSHEET, { title: 'Seed 001 contacts', owner: 'sales@acme.test', sheets: [{ title: 'Leads', rows: seedRows() }] });
  });
  afterAll(async () => {
    await t?.close();
    await google?.close();
  });

  it('without spreadsheets.readonly in the grant: 403 sheets_scope_missing naming the grant to ask for, nothing read', async () => {
    for (const res of [await preview(), await importSheet({ range: 'Leads!A1:E', mapping })]) {
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.equal(res.body.code, 'sheets_scope_missing');
      assert.equal(res.body.details.accountId, accountId);
      assert.equal(res.body.details.grantUrl, `/auth/gmail/connect?accountId=${accountId}&grant=sheets`);
    }
    assert.equal(await valueReads(), 0);
  });

  it('"grant access" asks Google for spreadsheets.readonly alone, incrementally, and returns to the import with every scope kept', async () => {
    const start = await navigate(`${t.baseUrl}/auth/gmail/connect?accountId=${accountId}&grant=sheets`, jar, t.baseUrl);
    const url = new URL(start.location!);
    assert.deepEqual(url.searchParams.get('scope')!.split(' '), ['openid', 'email', SHEETS_READ_SCOPE]);
    assert.equal(url.searchParams.get('include_granted_scopes'), 'true');
    assert.equal(url.searchParams.get('login_hint'), 'sales@acme.test');
    // Another Google account chosen on the consent screen does not give this mailbox anything.
    const wrong = await runFlow(`${t.baseUrl}/auth/gmail/connect?accountId=${accountId}&grant=sheets`, jar, t.baseUrl, {
      email: 'eve@acme.test',
    });
    assert.equal(new URL(wrong.final).searchParams.get('sheets_error'), 'account_mismatch');
    const { final } = await runFlow(`${t.baseUrl}/auth/gmail/connect?accountId=${accountId}&grant=sheets`, jar, t.baseUrl, {
      email: 'sales@acme.test',
    });
    const back = new URL(final);
    assert.equal(back.pathname, '/leads/import');
    assert.equal(back.searchParams.get('source'), 'sheets');
    assert.equal(back.searchParams.get('accountId'), accountId);
    assert.equal(back.searchParams.get('sheets_error'), null);
    const [account] = (await t.request('GET', '/api/v1/email-accounts', { key })).body.items;
    assert.equal(account.status, 'connected');
    assert.ok(account.scopes.includes(SHEETS_READ_SCOPE) && account.scopes.includes(GMAIL_SEND_SCOPE), account.scopes.join(' '));
    assert.equal((await t.request('GET', '/api/v1/email-accounts', { key })).body.items.length, 1, 'no second mailbox');
  });

  it('previews a pasted URL: its tabs, the range to import, the header and the first rows with their sheet row numbers', async () => {
    const res = await preview();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.title, 'Seed 001 contacts');
    assert.deepEqual(
      res.body.sheets.map((s: { title: string; rowCount: number }) => [s.title, s.rowCount]),
      [['Leads', DATA_ROWS + 1]],
    );
    assert.equal(res.body.range, 'Leads!A1:E');
    assert.deepEqual(res.body.headers, HEADER);
    assert.deepEqual(
      res.body.rows.map((r: { row: number }) => r.row),
      [2, 3, 4, 5, 6],
    );
    assert.deepEqual(res.body.rows[0].cells, ['lead00001@example.com', 'Lead 00001', '+14155550001', 'yes', 'pro']);
    assert.equal(res.body.dataRows, DATA_ROWS);
    const narrowed = await preview(`?range=${encodeURIComponent('Leads!B3:C4')}`);
    assert.deepEqual(narrowed.body.headers, ['Lead 00002', '+14155550002']);
    assert.deepEqual(narrowed.body.rows, [{ row: 4, cells: ['Lead 00003', '+14155550003'] }]);
    assert.equal(narrowed.body.range, 'Leads!B3:C4');
  });

  it('imports 10,000 rows: valid rows kept, bad rows reported exactly as the CSV import reports the same data', async () => {
    const readsBefore = await valueReads();
    const started = Date.now();
    const res = await importSheet({ range: 'Leads!A1:E', mapping });
    const ms = Date.now() - started;
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
    const csv = new FormData();
    csv.append('mapping', JSON.stringify(mapping));
    csv.append('file', new Blob([toCsv(seedRows())], { type: 'text/csv' }), 'leads.csv');
    const fromCsv = await t.request('POST', '/api/v1/leads/import', { key: other.apiKey, raw: csv });
    assert.equal(fromCsv.status, 200, JSON.stringify(fromCsv.body).slice(0, 500));

    const bad = 10 + 10 + 4 + 2; // invalid emails, invalid phones, invalid consent, no address
    assert.equal(res.body.rows, DATA_ROWS - 1, 'the empty row is skipped, as a blank CSV line is');
    assert.equal(res.body.failed, bad);
    assert.equal(res.body.created, DATA_ROWS - 1 - bad);
    assert.equal(res.body.updated, 0);
    const pairs = (body: { errors: Array<{ row: number; code: string }> }) => body.errors.map((e) => `${e.row}:${e.code}`);
    assert.deepEqual(pairs(res.body), pairs(fromCsv.body));
    assert.deepEqual(
      { rows: res.body.rows, created: res.body.created, failed: res.body.failed },
      { rows: fromCsv.body.rows, created: fromCsv.body.created, failed: fromCsv.body.failed },
    );
    // The sheet's row numbers: data row i is sheet row i + 1.
    assert.ok(pairs(res.body).includes('8:invalid_email'));
    assert.ok(pairs(res.body).includes('124:invalid_phone'));
    assert.ok(pairs(res.body).includes('501:invalid_consent'));
    assert.ok(pairs(res.body).includes('4243:missing_address'));
    const lead = (await t.request('GET', '/api/v1/leads?email=lead00002%40example.com', { key })).body.items[0];
    assert.equal(lead.phone, '+14155550002');
    assert.deepEqual(lead.consent, { sms: false });
    assert.equal(lead.attributes.plan, 'pro');
    // Bounded reads: the header, then blocks of 5,000 rows, never the sheet at once.
    const reads = (await valueReads()) - readsBefore;
    assert.equal(reads, 1 + 2);
    console.log(`sheets import of ${DATA_ROWS} rows: ${ms} ms, ${reads} values reads`);

    // Importing again updates the same people rather than duplicating them.
    const again = await importSheet({ range: 'Leads!A1:E', mapping, returnIds: true });
    assert.equal(again.body.created, 0);
    assert.equal(again.body.updated, DATA_ROWS - 1 - bad);
    assert.equal(again.body.leadIds.length, DATA_ROWS - 1 - bad);
  });

  it('records a "these recipients opted in" statement like the CSV import', async () => {
    await seed('1SheetsImportTest000000000000000000000000002', {
      owner: 'sales@acme.test',
      sheets: [
        {
          title: 'WA',
          rows: [
            ['phone', 'whatsapp_opt_in'],
            ['+16505550101', ''],
            ['+16505550102', 'no'],
          ],
        },
      ],
    });
    const res = await importSheet({
      spreadsheetId: '1SheetsImportTest000000000000000000000000002',
      sheet: 'WA',
      consentConfirmed: 'whatsapp',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.created, 2, JSON.stringify(res.body));
    assert.equal(res.body.consentConfirmation.channel, 'whatsapp');
    assert.equal(res.body.consentConfirmation.rows, 1);
    assert.ok(res.body.consentConfirmation.confirmedByApiKeyId);
  });

  it('refuses what it cannot read with stable codes, before writing anything', async () => {
    const before = await t.dataSource.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM leads');
    await seed('1SheetsImportTest000000000000000000000000003', {
      owner: 'someone@else.test',
      sheets: [{ rows: [['email'], ['x@example.com']] }],
    });
    await seed('1SheetsImportTest000000000000000000000000004', {
      owner: 'sales@acme.test',
      sheets: [
        {
          title: 'Dup',
          rows: [
            ['Email', 'email'],
            ['a@example.com', 'b@example.com'],
          ],
        },
        { title: 'NoAddress', rows: [['Name'], ['Ada']] },
        { title: 'Empty', rows: [[], ['a@example.com']] },
        { title: 'Huge', rows: [['email'], ['a@example.com']], rowCount: 50_000 },
      ],
    });
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ spreadsheetId: 'not a sheet', range: 'A1:B' }, 400, 'spreadsheet_id_invalid'],
      [
        { spreadsheetId: 'https://evil.test/spreadsheets/d/1SheetsImportTest000000000000000000000000004/edit' },
        400,
        'spreadsheet_id_invalid',
      ],
      [{ spreadsheetId: '1SheetsImportTest00000000000000000000000000X', range: 'A1:B' }, 404, 'spreadsheet_not_found'],
      [{ spreadsheetId: '1SheetsImportTest000000000000000000000000003', range: 'A1:B' }, 403, 'spreadsheet_forbidden'],
      [{ range: 'Leads!A1:B:C' }, 400, 'sheet_range_invalid'],
      [{ range: 'Nope!A1:E' }, 400, 'sheet_range_invalid'],
      [{ range: 'Leads!A20000:E' }, 400, 'sheet_range_invalid'],
      [{ spreadsheetId: '1SheetsImportTest000000000000000000000000004', range: 'Dup!A1:B' }, 400, 'sheet_invalid'],
      [{ spreadsheetId: '1SheetsImportTest000000000000000000000000004', range: 'NoAddress' }, 400, 'sheet_invalid'],
      [{ spreadsheetId: '1SheetsImportTest000000000000000000000000004', range: 'Empty!A1:C' }, 400, 'sheet_invalid'],
      [{ spreadsheetId: '1SheetsImportTest000000000000000000000000004', range: 'Huge' }, 413, 'sheet_too_large'],
      [{ range: 'Leads!A1:E', mapping: { Nope: 'email' } }, 400, 'invalid_mapping'],
      [{ range: 'Leads!A1:E', mapping: ['email'] }, 400, 'validation_failed'],
      [{ accountId: 'nope', range: 'Leads!A1:E' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await importSheet(body);
      assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, code, JSON.stringify(body));
    }
    assert.equal((await preview('', 'not a sheet')).body.code, 'spreadsheet_id_invalid');
    assert.equal((await preview('?range=Nope!A1')).body.code, 'sheet_range_invalid');
    const after = await t.dataSource.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM leads');
    assert.equal(after[0].n, before[0].n);
  });

  it("another organization naming this organization's account gets 404, never the sheet", async () => {
    const res = await importSheet({ range: 'Leads!A1:E' }, other.apiKey);
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
    const seen = await preview('', URL_OF(SPREADSHEET), other.apiKey);
    assert.equal(seen.status, 404);
    assert.ok(!JSON.stringify(seen.body).includes('Seed 001'));
  });
});
