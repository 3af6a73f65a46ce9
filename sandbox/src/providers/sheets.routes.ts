import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import { bearerToken, type RequestContext } from '../http/request-context';
import { sendJson } from '../http/respond';
import { body, controlRoutes, notFound } from '../control/control-kit';
import { ControlError, optString, reqString } from '../control/validate';
import type { AccessToken, GoogleOAuthState } from './google-oauth.state';
import { parseRange, quoteTitle, toLetters, type ResolvedRange } from './sheets.a1';
import { type CellValue, type SheetTab, type Spreadsheet, SheetsState } from './sheets.state';

const G = 'https://www.googleapis.com/auth/';
/** The scopes that let a token read a spreadsheet (Google's list for spreadsheets.get and values.get). */
const READ_SCOPES = new Set([`${G}spreadsheets.readonly`, `${G}spreadsheets`, `${G}drive.readonly`, `${G}drive`]);
const SERVICE = 'sheets.googleapis.com';
const ID = '([A-Za-z0-9_-]+)';

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND' };

/** The Sheets API's error envelope (google.rpc.Status as JSON): no `errors` array, unlike Gmail's. */
function sheetsError(
  rc: RequestContext,
  code: number,
  message: string,
  extra: { reason?: string; method?: string } = {},
  headers?: Record<string, string>,
) {
  const details = extra.reason
    ? [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: extra.reason,
          domain: 'googleapis.com',
          metadata: { service: SERVICE, ...(extra.method && { method: `google.apps.sheets.v4.SpreadsheetsService.${extra.method}` }) },
        },
      ]
    : undefined;
  sendJson(rc.res, code, { error: { code, message, status: STATUS[code] ?? 'UNKNOWN', ...(details && { details }) } }, headers);
}

function asCell(value: unknown, where: string): CellValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value === null || value === undefined) return '';
  throw new ControlError(400, 'VALIDATION_FAILED', `${where} must be a string, number or boolean`);
}

function asTabs(value: unknown): SheetTab[] {
  if (!Array.isArray(value) || value.length === 0) throw new ControlError(400, 'VALIDATION_FAILED', 'sheets must be a non-empty array');
  const titles = new Set<string>();
  return value.map((raw, index) => {
    const t = (raw ?? {}) as { title?: unknown; rows?: unknown; rowCount?: unknown; columnCount?: unknown; sheetId?: unknown };
    const title = typeof t.title === 'string' && t.title.trim() ? t.title : `Sheet${index + 1}`;
    if (titles.has(title.toLowerCase())) throw new ControlError(400, 'VALIDATION_FAILED', `two sheets are titled ${title}`);
    titles.add(title.toLowerCase());
    if (t.rows !== undefined && !Array.isArray(t.rows))
      throw new ControlError(400, 'VALIDATION_FAILED', `sheets[${index}].rows must be an array of arrays`);
    const rows = ((t.rows as unknown[]) ?? []).map((row, r) => {
      if (!Array.isArray(row)) throw new ControlError(400, 'VALIDATION_FAILED', `sheets[${index}].rows[${r}] must be an array`);
      return row.map((cell, c) => asCell(cell, `sheets[${index}].rows[${r}][${c}]`));
    });
    const widest = rows.reduce((w, row) => Math.max(w, row.length), 0);
    const rowCount = typeof t.rowCount === 'number' ? t.rowCount : Math.max(1000, rows.length);
    const columnCount = typeof t.columnCount === 'number' ? t.columnCount : Math.max(26, widest);
    if (
      !Number.isInteger(rowCount) ||
      rowCount < rows.length ||
      !Number.isInteger(columnCount) ||
      columnCount < widest ||
      columnCount > 18_278
    )
      throw new ControlError(400, 'VALIDATION_FAILED', `sheets[${index}]: rowCount/columnCount must hold the rows`);
    const sheetId = typeof t.sheetId === 'number' && Number.isInteger(t.sheetId) ? t.sheetId : index === 0 ? 0 : 100_000 + index * 7919;
    return { sheetId, title, index, rowCount, columnCount, rows };
  });
}

function summary(s: Spreadsheet) {
  return {
    spreadsheetId: s.spreadsheetId,
    title: s.title,
    owner: s.owner,
    sharedWith: s.sharedWith,
    sheets: s.sheets.map((t) => ({
      sheetId: t.sheetId,
      title: t.title,
      rowCount: t.rowCount,
      columnCount: t.columnCount,
      rows: t.rows.length,
    })),
  };
}

/** Google Sheets API v4 (spreadsheets.get, spreadsheets.values.get) over seeded spreadsheets, and the controls that seed them. */
export function registerSheets(router: Router, ctx: SandboxContext, oauth: GoogleOAuthState): SheetsState {
  const state = new SheetsState();
  ctx.resettables.push(state);

  /** Token, scope and file access, in the order Google checks them. */
  const open = (rc: RequestContext, method: string): { token: AccessToken; sheet: Spreadsheet } | undefined => {
    const t = oauth.accessToken(bearerToken(rc) ?? '');
    if (typeof t === 'string') {
      sheetsError(
        rc,
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        { reason: t === 'expired' ? 'ACCESS_TOKEN_EXPIRED' : 'ACCESS_TOKEN_TYPE_UNSUPPORTED', method },
        { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      );
      return undefined;
    }
    if (!t.scopes.some((s) => READ_SCOPES.has(s))) {
      sheetsError(
        rc,
        403,
        'Request had insufficient authentication scopes.',
        { reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', method },
        {
          'www-authenticate':
            'Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="https://www.googleapis.com/auth/spreadsheets.readonly"',
        },
      );
      return undefined;
    }
    const sheet = state.spreadsheets.get(rc.params[0]);
    if (!sheet) {
      sheetsError(rc, 404, 'Requested entity was not found.');
      return undefined;
    }
    if (!state.canRead(sheet, t.email)) {
      sheetsError(rc, 403, 'The caller does not have permission');
      return undefined;
    }
    return { token: t, sheet };
  };

  const properties = (t: SheetTab) => ({
    sheetId: t.sheetId,
    title: t.title,
    index: t.index,
    sheetType: 'GRID',
    gridProperties: { rowCount: t.rowCount, columnCount: t.columnCount },
  });

  router.add('GET', new RegExp(`^/v4/spreadsheets/${ID}$`), (rc) => {
    const auth = open(rc, 'GetSpreadsheet');
    if (!auth) return;
    const s = auth.sheet;
    const origin = `https://docs.google.com/spreadsheets/d/${s.spreadsheetId}/edit`;
    sendJson(rc.res, 200, {
      spreadsheetId: s.spreadsheetId,
      properties: {
        title: s.title,
        locale: s.locale,
        autoRecalc: 'ON_CHANGE',
        timeZone: s.timeZone,
        defaultFormat: { wrapStrategy: 'OVERFLOW_CELL' },
      },
      sheets: s.sheets.map((t) => ({ properties: properties(t) })),
      spreadsheetUrl: origin,
    });
  });

  /** The tab and the rectangle a range names, clamped to the grid as Google does for open ends. */
  const resolve = (
    rc: RequestContext,
    s: Spreadsheet,
    text: string,
  ): { tab: SheetTab; r: Required<Omit<ResolvedRange, 'sheet'>> } | undefined => {
    const parsed = parseRange(text);
    const tab = parsed && (parsed.sheet === undefined ? s.sheets[0] : s.sheets.find((t) => t.title === parsed.sheet));
    if (!parsed || !tab) {
      sheetsError(rc, 400, `Unable to parse range: ${text}`);
      return undefined;
    }
    const r = { r1: parsed.r1, c1: parsed.c1, r2: parsed.r2 ?? tab.rowCount, c2: parsed.c2 ?? tab.columnCount };
    if (r.r2 > tab.rowCount || r.c2 > tab.columnCount || r.r1 > r.r2 || r.c1 > r.c2) {
      sheetsError(
        rc,
        400,
        `Range ('${tab.title.replace(/'/g, "''")}'!${toLetters(r.c1)}${r.r1}:${toLetters(r.c2)}${r.r2}) exceeds grid limits. Max rows: ${tab.rowCount}, max columns: ${tab.columnCount}`,
      );
      return undefined;
    }
    return { tab, r };
  };

  router.add('GET', new RegExp(`^/v4/spreadsheets/${ID}/values/([^/]+)$`), (rc) => {
    const auth = open(rc, 'GetValues');
    if (!auth) return;
    const found = resolve(rc, auth.sheet, rc.params[1]);
    if (!found) return;
    const { tab, r } = found;
    const major = (rc.query.get('majorDimension') ?? 'ROWS').toUpperCase();
    if (major !== 'ROWS' && major !== 'COLUMNS')
      return sheetsError(rc, 400, `Invalid value at 'major_dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), "${major}"`);
    const render = (rc.query.get('valueRenderOption') ?? 'FORMATTED_VALUE').toUpperCase();
    const show = (v: CellValue): CellValue =>
      render === 'FORMATTED_VALUE' ? (typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v)) : v;
    state.valueReads.set(auth.sheet.spreadsheetId, (state.valueReads.get(auth.sheet.spreadsheetId) ?? 0) + 1);
    // Google leaves out empty cells at the end of a row and empty rows at the end of the range.
    let grid: CellValue[][] = [];
    for (let row = r.r1; row <= r.r2; row++) {
      const source = tab.rows[row - 1] ?? [];
      const cells = source.slice(r.c1 - 1, r.c2).map(show);
      while (cells.length && cells[cells.length - 1] === '') cells.pop();
      grid.push(cells);
    }
    while (grid.length && grid[grid.length - 1].length === 0) grid.pop();
    if (major === 'COLUMNS') {
      const width = grid.reduce((w, row) => Math.max(w, row.length), 0);
      grid = Array.from({ length: width }, (_, c) => {
        const column = grid.map((row) => row[c] ?? '');
        while (column.length && column[column.length - 1] === '') column.pop();
        return column;
      });
    }
    sendJson(rc.res, 200, {
      range: `${quoteTitle(tab.title)}!${toLetters(r.c1)}${r.r1}:${toLetters(r.c2)}${r.r2}`,
      majorDimension: major,
      ...(grid.length && { values: grid }),
    });
  });

  const route = controlRoutes(router);
  route('GET', /^\/_sandbox\/google\/spreadsheets$/, () => ({ items: [...state.spreadsheets.values()].map(summary) }));
  // Creates or replaces a spreadsheet in the owner's Drive: its tabs and their rows.
  route('PUT', new RegExp(`^/_sandbox/google/spreadsheets/${ID}$`), (rc) => {
    const b = body(rc);
    const spreadsheetId = rc.params[0];
    if (!/^[A-Za-z0-9_-]{25,100}$/.test(spreadsheetId))
      throw new ControlError(400, 'VALIDATION_FAILED', 'a spreadsheet id is 25 to 100 letters, digits, - or _');
    const owner = reqString(b, 'owner').toLowerCase();
    const shared = Array.isArray(b.sharedWith) ? (b.sharedWith as unknown[]).map((e) => String(e).toLowerCase()) : [];
    const sheet: Spreadsheet = {
      spreadsheetId,
      title: optString(b, 'title') ?? 'Untitled spreadsheet',
      owner,
      sharedWith: shared,
      locale: optString(b, 'locale') ?? 'en_US',
      timeZone: optString(b, 'timeZone') ?? 'Etc/GMT',
      sheets: asTabs(b.sheets),
    };
    state.spreadsheets.set(spreadsheetId, sheet);
    return summary(sheet);
  });
  route('GET', new RegExp(`^/_sandbox/google/spreadsheets/${ID}$`), (rc) => {
    const s = state.spreadsheets.get(rc.params[0]);
    if (!s) throw notFound('spreadsheet', rc.params[0]);
    return { ...summary(s), valueReads: state.valueReads.get(s.spreadsheetId) ?? 0 };
  });
  route('DELETE', new RegExp(`^/_sandbox/google/spreadsheets/${ID}$`), (rc) => {
    if (!state.spreadsheets.delete(rc.params[0])) throw notFound('spreadsheet', rc.params[0]);
    return { deleted: rc.params[0] };
  });
  return state;
}
