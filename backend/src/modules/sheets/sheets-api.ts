import { sheets as sheetsApi, type sheets_v4 } from '@googleapis/sheets';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { googleEndpoints } from '../auth/google-endpoints';

/** One request to Google may take this long; the import as a whole is bounded by SHEETS_IMPORT_TIMEOUT_MS. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface SheetTab {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
}

export interface SpreadsheetInfo {
  spreadsheetId: string;
  title: string;
  url: string;
  sheets: SheetTab[];
}

/** Google answered 401: the access token is not (or no longer) good; the caller refreshes it once. */
export class SheetsUnauthorizedError extends Error {}

type GaxiosLike = {
  name?: string;
  code?: string | number;
  status?: number;
  response?: { status?: number; data?: { error?: { message?: string; status?: string; details?: Array<{ reason?: string }> } } };
};

/**
 * Google's Sheets API v4 through the official client (@googleapis/sheets), rooted at SHEETS_API_BASE_URL or
 * GOOGLE_BASE_URL like the Gmail client, so the provider sandbox can stand in for Google. Reads only; Google's
 * answers become the API's stable codes.
 */
@Injectable()
export class SheetsApi {
  private readonly client: sheets_v4.Sheets;

  constructor(env: Environment) {
    this.client = sheetsApi({ version: 'v4', rootUrl: `${googleEndpoints(env).sheetsApiBaseUrl}/` });
  }

  async spreadsheet(accessToken: string, spreadsheetId: string, signal: AbortSignal): Promise<SpreadsheetInfo> {
    const res = await this.call(signal, () =>
      this.client.spreadsheets.get(
        { spreadsheetId, includeGridData: false, fields: 'spreadsheetId,properties.title,spreadsheetUrl,sheets.properties' },
        this.options(accessToken, signal),
      ),
    );
    const data = res.data;
    return {
      spreadsheetId: data.spreadsheetId ?? spreadsheetId,
      title: data.properties?.title ?? '',
      url: data.spreadsheetUrl ?? `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`,
      sheets: (data.sheets ?? [])
        .map((s) => s.properties ?? {})
        // Charts and object sheets hold no cells to import.
        .filter((p) => (p.sheetType ?? 'GRID') === 'GRID')
        .map((p) => ({
          sheetId: p.sheetId ?? 0,
          title: p.title ?? '',
          index: p.index ?? 0,
          rowCount: p.gridProperties?.rowCount ?? 0,
          columnCount: p.gridProperties?.columnCount ?? 0,
        })),
    };
  }

  /** The cells of one range, row by row, as the sheet shows them (formatted); Google drops trailing empty cells and rows. */
  async values(accessToken: string, spreadsheetId: string, range: string, signal: AbortSignal): Promise<string[][]> {
    const res = await this.call(signal, () =>
      this.client.spreadsheets.values.get(
        { spreadsheetId, range, majorDimension: 'ROWS', valueRenderOption: 'FORMATTED_VALUE' },
        this.options(accessToken, signal),
      ),
    );
    return (res.data.values ?? []).map((row) =>
      Array.isArray(row) ? row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))) : [],
    );
  }

  private options(accessToken: string, signal: AbortSignal) {
    // No automatic retry: a retried read could outlive the import's deadline; the person can import again.
    return { headers: { Authorization: `Bearer ${accessToken}` }, retry: false, timeout: REQUEST_TIMEOUT_MS, signal };
  }

  private async call<T>(signal: AbortSignal, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (signal.aborted) throw new AppError('sheets_timeout', 'Google Sheets did not answer the import in time; import a smaller range');
      throw sheetsFailure(error);
    }
  }
}

/** Google's error for one read, as the API's code: what the person can do about it is in the message. */
export function sheetsFailure(error: unknown): Error {
  const e = error as GaxiosLike;
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  const google = e.response?.data?.error;
  const message = (google?.message ?? '').slice(0, 300);
  if (status === 401) return new SheetsUnauthorizedError(message || 'Google refused the access token');
  if (status === 403 && google?.details?.some((d) => d.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT'))
    return new AppError('sheets_scope_missing', 'This Google account has not granted Cadence read access to its spreadsheets');
  if (status === 403)
    return new AppError(
      'spreadsheet_forbidden',
      `Google refused to open the spreadsheet (${message || 'permission denied'}): share it with the account`,
    );
  if (status === 404) return new AppError('spreadsheet_not_found', 'Google has no spreadsheet with this id (or it was deleted)');
  if (status === 400) return new AppError('sheet_range_invalid', `Google could not read the range: ${message || 'invalid argument'}`);
  if (status === 429) return new AppError('sheets_unavailable', 'Google Sheets read quota is used up for now; try again in a minute');
  if (e.name === 'AbortError' || e.code === 'ETIMEDOUT' || e.code === 'ECONNABORTED')
    return new AppError('sheets_timeout', 'Google Sheets did not answer in time');
  return new AppError('sheets_unavailable', `Google Sheets could not be reached (${status ?? e.code ?? 'network error'})`);
}
