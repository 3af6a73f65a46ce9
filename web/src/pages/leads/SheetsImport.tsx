import { SHEETS_READING_SCOPES, spreadsheetRef } from '@cadence/contracts/src/sheets';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, EmailAccount } from '../../api';
import { Banner } from '../../components/Banner';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { formatNumber } from '../../format';
import { ColumnChoice, guessColumn, mappingProblems, toMapping } from './leadCsvMapping';
import { LeadColumnMapping } from './LeadColumnMapping';
import { LeadImportOptions, OptedIn } from './LeadImportOptions';
import { LeadImportResult } from './LeadImportResult';
import { LeadImportReport } from './types';

/** GET /sheets/{accountId}/spreadsheets/{spreadsheetId} */
interface SheetPreview {
  spreadsheetId: string;
  title: string;
  url: string;
  sheets: Array<{ sheetId: number; title: string; index: number; rowCount: number; columnCount: number }>;
  sheet: { sheetId: number; title: string };
  range: string;
  headerRow: number;
  headers: string[];
  rows: Array<{ row: number; cells: string[] }>;
  dataRows: number;
  limits: { maxRows: number; maxCells: number };
}

/** What to preview: the pasted link or id, and a tab or a range once the spreadsheet is open. */
interface Target {
  spreadsheet: string;
  sheet?: string;
  range?: string;
}

const GRANT_ERRORS: Record<string, string> = {
  account_mismatch: 'Google answered for another account than this mailbox: choose the mailbox’s own account on Google’s screen.',
  account_not_found: 'That mailbox is not connected to this organization.',
  google_error: 'Google could not complete the authorization. Please try again.',
};

const canRead = (a: EmailAccount) => a.scopes.some((s) => SHEETS_READING_SCOPES.includes(s));
const grantUrl = (a: EmailAccount) => `/auth/gmail/connect?${new URLSearchParams({ accountId: a.id, grant: 'sheets' })}`;

/**
 * A Google Sheets range as a lead source: a connected mailbox's Google account (read access to spreadsheets granted
 * incrementally, on request), a pasted link, a tab or range, the header and first rows, the CSV import's column
 * mapping, then the same result with the refused rows under their sheet row numbers.
 */
export function SheetsImport() {
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const accounts = useQuery({ queryKey: ['email-accounts'], queryFn: () => api<{ items: EmailAccount[] }>('GET', '/email-accounts') });
  const connected = accounts.data?.items.filter((a) => a.status === 'connected') ?? [];
  const [accountId, setAccountId] = useState(params.get('accountId') ?? '');
  const account = connected.find((a) => a.id === accountId) ?? connected[0];
  const [link, setLink] = useState('');
  const [target, setTarget] = useState<Target | null>(null);
  const [rangeDraft, setRangeDraft] = useState<string | null>(null);
  const [mapping, setMapping] = useState<{ key: string; choices: ColumnChoice[] } | null>(null);
  const [defaultCountry, setDefaultCountry] = useState('');
  const [optedIn, setOptedIn] = useState<OptedIn>('');
  const grantError = params.get('sheets_error');

  const preview = useQuery({
    queryKey: ['sheet-preview', account?.id, target],
    enabled: Boolean(account && target && canRead(account)),
    retry: false,
    queryFn: () => {
      const q = new URLSearchParams({ ...(target!.sheet && { sheet: target!.sheet }), ...(target!.range && { range: target!.range }) });
      return api<SheetPreview>(
        'GET',
        `/sheets/${account!.id}/spreadsheets/${encodeURIComponent(target!.spreadsheet)}${q.size ? `?${q}` : ''}`,
      );
    },
  });
  const sheet = preview.data;
  const headersKey = sheet ? `${sheet.range}\u0000${sheet.headers.join('\u0000')}` : '';
  const choices =
    mapping && mapping.key === headersKey
      ? mapping.choices
      : (sheet?.headers.map((h) => (h === '' ? { kind: 'ignore' as const } : guessColumn(h))) ?? []);

  const send = useMutation({
    mutationFn: (s: SheetPreview) =>
      api<LeadImportReport>('POST', '/leads/import/sheets', {
        accountId: account!.id,
        spreadsheetId: s.spreadsheetId,
        range: s.range,
        mapping: toMapping(s.headers, choices),
        ...(defaultCountry.trim() && { defaultCountry: defaultCountry.trim().toUpperCase() }),
        ...(optedIn && { consentConfirmed: optedIn }),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['leads'] }),
  });

  const open = (next: Target) => {
    send.reset();
    setRangeDraft(null);
    setTarget(next);
  };
  const linkProblem =
    link.trim() && !spreadsheetRef(link)
      ? 'Paste the address of a Google sheet (https://docs.google.com/spreadsheets/d/…) or its id.'
      : null;
  const scopeMissing =
    (account && !canRead(account)) || (preview.error instanceof ApiError && preview.error.code === 'sheets_scope_missing');
  const rangeChanged = rangeDraft !== null && sheet !== undefined && rangeDraft.trim() !== sheet.range;
  const problems = sheet
    ? [
        ...(sheet.headers.length === 0
          ? [`Row ${sheet.headerRow} of “${sheet.sheet.title}” is empty: the range must start at the header row.`]
          : []),
        ...(sheet.dataRows > sheet.limits.maxRows
          ? [
              `The range has ${formatNumber(sheet.dataRows)} rows; at most ${formatNumber(sheet.limits.maxRows)} are imported at once: narrow it.`,
            ]
          : []),
        ...(rangeChanged ? ['Preview the new range before importing it.'] : []),
        ...(sheet.headers.length ? mappingProblems(sheet.headers, choices) : []),
      ]
    : [];

  if (send.data)
    return (
      <LeadImportResult
        report={send.data}
        againLabel="Import another range"
        again={() => {
          send.reset();
          void preview.refetch();
        }}
      />
    );

  return (
    <>
      {grantError && <Banner tone="error">{GRANT_ERRORS[grantError] ?? `Access was not granted (${grantError}).`}</Banner>}
      <section className="card" aria-labelledby="sheets-source-title">
        <h2 id="sheets-source-title">1. Choose a spreadsheet</h2>
        {accounts.error && <ErrorBanner error={accounts.error} />}
        {accounts.data && connected.length === 0 && (
          <p className="empty">
            Sheets are read with the Google account of a connected Gmail mailbox. <Link to="/settings">Connect Gmail in Settings</Link>{' '}
            first.
          </p>
        )}
        {account && (
          <>
            <div className="sheets-source-row">
              <Field label="Google account" hint="The sheet must be owned by or shared with this account.">
                {(props) => (
                  <select
                    {...props}
                    value={account.id}
                    onChange={(e) => {
                      setAccountId(e.target.value);
                      setTarget(null);
                    }}
                  >
                    {connected.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.email}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Spreadsheet link or id" error={linkProblem}>
                {(props) => (
                  <input
                    {...props}
                    value={link}
                    placeholder="https://docs.google.com/spreadsheets/d/…"
                    onChange={(e) => setLink(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' && link.trim() && !linkProblem) open({ spreadsheet: link.trim() });
                    }}
                  />
                )}
              </Field>
              <div className="form-actions">
                <button
                  type="button"
                  className="btn"
                  disabled={!link.trim() || Boolean(linkProblem) || Boolean(scopeMissing)}
                  onClick={() => open({ spreadsheet: link.trim() })}
                >
                  Open spreadsheet
                </button>
              </div>
            </div>
            {scopeMissing && (
              <Banner tone="info">
                <p>
                  Cadence may not read {account.email}’s spreadsheets yet. Google asks you once, for read-only access to your sheets
                  (spreadsheets.readonly); sending email keeps working as it is.
                </p>
                <a className="btn btn-primary" href={grantUrl(account)}>
                  Grant access
                </a>
              </Banner>
            )}
            {preview.isFetching && <p role="status">Reading the spreadsheet…</p>}
            {preview.error && !scopeMissing && <ErrorBanner error={preview.error} />}
          </>
        )}
      </section>

      {sheet && !preview.isFetching && (
        <section className="card" aria-labelledby="sheets-map-title">
          <h2 id="sheets-map-title">2. Pick the range and map the columns</h2>
          <p className="muted">
            <a href={sheet.url} target="_blank" rel="noreferrer">
              {sheet.title}
            </a>{' '}
            · {formatNumber(sheet.dataRows)} rows under the header in this range (empty rows are skipped).
          </p>
          <div className="sheets-source-row">
            <Field label="Tab">
              {(props) => (
                <select
                  {...props}
                  value={sheet.sheet.title}
                  onChange={(e) => open({ spreadsheet: target!.spreadsheet, sheet: e.target.value })}
                >
                  {sheet.sheets.map((s) => (
                    <option key={s.sheetId} value={s.title}>
                      {s.title}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Range" hint="A1 notation; its first row is the header, e.g. Leads!A1:F or Leads!B3:H500.">
              {(props) => <input {...props} value={rangeDraft ?? sheet.range} onChange={(e) => setRangeDraft(e.target.value)} />}
            </Field>
            <div className="form-actions">
              <button
                type="button"
                className="btn"
                disabled={!rangeChanged}
                onClick={() => {
                  const range = rangeDraft!.trim();
                  setRangeDraft(null);
                  setTarget({ spreadsheet: target!.spreadsheet, range });
                }}
              >
                Preview range
              </button>
            </div>
          </div>
          {sheet.headers.length > 0 && (
            <LeadColumnMapping
              preview={{ headers: sheet.headers, rows: sheet.rows.map((r) => r.cells), rowNumbers: sheet.rows.map((r) => r.row) }}
              choices={choices}
              onChange={(next) => setMapping({ key: headersKey, choices: next })}
              disabled={send.isPending}
            />
          )}
          <LeadImportOptions
            defaultCountry={defaultCountry}
            onDefaultCountry={setDefaultCountry}
            optedIn={optedIn}
            onOptedIn={setOptedIn}
            disabled={send.isPending}
            source="sheet"
          />
          {problems.length > 0 && (
            <Banner tone="error">
              <ul className="problems">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </Banner>
          )}
          {send.error && <ErrorBanner error={send.error} />}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={problems.length > 0 || send.isPending}
              onClick={() => send.mutate(sheet)}
            >
              {send.isPending ? 'Importing…' : 'Import leads'}
            </button>
          </div>
        </section>
      )}
    </>
  );
}
