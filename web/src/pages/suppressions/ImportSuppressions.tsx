import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, upload } from '../../api';
import { Banner } from '../../components/Banner';
import { CsvImportErrors } from '../../components/CsvImportErrors';
import { CsvUploadProgress, formatBytes } from '../../components/CsvUploadProgress';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { formatNumber } from '../../format';
import { CHANNEL_LABELS, REASON_LABELS, SUPPRESSION_CHANNELS, SUPPRESSION_REASONS, SuppressionImportReport } from './types';

/**
 * A CSV of addresses to suppress: an `address` (or `email` / `phone`) column, optional `channel`, `reason`
 * and `source` columns; what the file leaves out comes from the choices here.
 */
export function ImportSuppressions() {
  const queryClient = useQueryClient();
  const limits = useQuery({
    queryKey: ['suppressions-import-limits'],
    queryFn: () => api<{ maxBytes: number }>('GET', '/suppressions/import/limits'),
  });
  const [file, setFile] = useState<File | null>(null);
  const [channel, setChannel] = useState('');
  const [reason, setReason] = useState('');
  const [fraction, setFraction] = useState(0);
  const send = useMutation({
    mutationFn: (f: File) => {
      // Fields before the file: the server reads only those.
      const form = new FormData();
      if (channel) form.append('channel', channel);
      if (reason) form.append('reason', reason);
      form.append('file', f, f.name);
      setFraction(0);
      return upload<SuppressionImportReport>('/suppressions/import', form, setFraction);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['suppressions'] }),
  });
  const maxBytes = limits.data?.maxBytes;
  const tooBig = file && maxBytes !== undefined && file.size > maxBytes;
  const report = send.data;
  return (
    <>
      <form
        className="card form"
        aria-labelledby="import-suppressions-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (file) send.mutate(file);
        }}
      >
        <div>
          <h2 id="import-suppressions-title">Import a CSV</h2>
          <p className="muted">
            Columns: <code>address</code> (or <code>email</code> / <code>phone</code>), and optionally <code>channel</code>,{' '}
            <code>reason</code>, <code>source</code>. Addresses already suppressed are kept as they are.
          </p>
        </div>
        <div className="toolbar">
          <Field label="CSV file" hint={maxBytes !== undefined ? `Up to ${formatBytes(maxBytes)}` : undefined}>
            {(p) => (
              <input
                {...p}
                type="file"
                accept=".csv,text/csv"
                disabled={send.isPending}
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  send.reset();
                }}
              />
            )}
          </Field>
          <Field label="Channel when the file has none">
            {(p) => (
              <select {...p} value={channel} onChange={(e) => setChannel(e.target.value)}>
                <option value="">From the address (email or SMS)</option>
                {SUPPRESSION_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {CHANNEL_LABELS[c]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Reason when the file has none">
            {(p) => (
              <select {...p} value={reason} onChange={(e) => setReason(e.target.value)}>
                <option value="">Added by hand</option>
                {SUPPRESSION_REASONS.filter((r) => r !== 'manual').map((r) => (
                  <option key={r} value={r}>
                    {REASON_LABELS[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={!file || !!tooBig || send.isPending}>
              {send.isPending ? 'Importing…' : 'Import suppressions'}
            </button>
          </div>
        </div>
        {tooBig && (
          <Banner tone="error">
            {file.name} is {formatBytes(file.size)}; this server accepts files up to {formatBytes(maxBytes)}. Split it and import each part.
          </Banner>
        )}
        {limits.error && <ErrorBanner error={limits.error} />}
        {send.isPending && file && <CsvUploadProgress fraction={fraction} size={file.size} />}
        {send.error && <ErrorBanner error={send.error} />}
        {report && (
          <p role="status" data-testid="suppression-import-summary">
            {formatNumber(report.created)} added, {formatNumber(report.existing)} already suppressed, {formatNumber(report.failed)}{' '}
            {report.failed === 1 ? 'row' : 'rows'} skipped (of {formatNumber(report.rows)}).
          </p>
        )}
      </form>
      {report && <CsvImportErrors errors={report.errors} truncated={report.errorsTruncated} filename="suppression-import-errors.csv" />}
    </>
  );
}
