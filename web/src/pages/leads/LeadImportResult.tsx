import { Link } from 'react-router';
import { CsvImportErrors } from '../../components/CsvImportErrors';
import { formatNumber } from '../../format';
import { LeadImportReport } from './types';

/** What an import did (a CSV file or a Google Sheets range): counts, and each refused row with its number. */
export function LeadImportResult({ report, again, againLabel }: { report: LeadImportReport; again: () => void; againLabel: string }) {
  return (
    <>
      <section className="card" aria-labelledby="import-result-title">
        <h2 id="import-result-title">Import finished</h2>
        <p role="status" data-testid="import-summary">
          {formatNumber(report.created + report.updated)} imported ({formatNumber(report.created)} new, {formatNumber(report.updated)}{' '}
          updated) from {formatNumber(report.rows)} rows; {formatNumber(report.failed)} {report.failed === 1 ? 'row' : 'rows'} skipped.
        </p>
        <div className="stats">
          <Stat label="New" value={report.created} />
          <Stat label="Updated" value={report.updated} />
          <Stat label="Skipped" value={report.failed} />
        </div>
        <div className="form-actions lead-import-next">
          <Link className="btn btn-primary" to="/leads">
            View leads
          </Link>
          <button type="button" className="btn" onClick={again}>
            {againLabel}
          </button>
        </div>
      </section>
      <CsvImportErrors errors={report.errors} truncated={report.errorsTruncated} filename="lead-import-errors.csv" />
    </>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{formatNumber(value)}</div>
    </div>
  );
}
