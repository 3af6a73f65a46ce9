import { downloadCsv } from '../api';
import { formatNumber } from '../format';
import { DataTable } from './DataTable';

/** One refused row of a CSV import, as the backend reports it (row 1 is the header, as in a spreadsheet). */
export interface CsvRowError {
  row: number;
  code: string;
  message: string;
}

/**
 * The rows an import refused: a table people can read, and the same rows as a CSV to fix in a
 * spreadsheet and import again.
 */
export function CsvImportErrors({ errors, truncated, filename }: { errors: CsvRowError[]; truncated: boolean; filename: string }) {
  if (errors.length === 0) return null;
  return (
    <section className="card csv-import-errors" aria-labelledby="csv-import-errors-title">
      <div className="section-head">
        <div>
          <h2 id="csv-import-errors-title">Rows not imported</h2>
          <p className="muted">
            {truncated
              ? `The first ${formatNumber(errors.length)} refused rows are listed; more were refused.`
              : 'Fix these rows in your file and import it again: rows already imported are updated, not duplicated.'}
          </p>
        </div>
        <button
          type="button"
          className="btn"
          onClick={() =>
            downloadCsv(
              filename,
              ['row', 'code', 'message'],
              errors.map((e) => [e.row, e.code, e.message]),
            )
          }
        >
          Download errors (CSV)
        </button>
      </div>
      <DataTable
        caption="Rows not imported"
        rowKey={(e) => `${e.row}-${e.code}`}
        rows={errors}
        rowTestId="import-error"
        columns={[
          { key: 'row', header: 'Row', cell: (e) => e.row, align: 'end' },
          { key: 'code', header: 'Code', cell: (e) => <code className="mono">{e.code}</code> },
          { key: 'message', header: 'Message', cell: (e) => e.message },
        ]}
      />
    </section>
  );
}
