import './leads.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, upload } from '../../api';
import { Banner } from '../../components/Banner';
import { CsvUploadProgress, formatBytes } from '../../components/CsvUploadProgress';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { ColumnChoice, guessColumn, mappingProblems, toMapping } from './leadCsvMapping';
import { LeadColumnMapping } from './LeadColumnMapping';
import { LeadImportOptions, OptedIn } from './LeadImportOptions';
import { LeadImportResult } from './LeadImportResult';
import { SheetsImport } from './SheetsImport';
import { CsvPreview, readCsvPreview } from './readCsvPreview';
import { LeadImportReport } from './types';

interface Chosen {
  file: File;
  preview: CsvPreview;
  choices: ColumnChoice[];
}

/** Where the leads come from: a CSV file, or a range of a Google spreadsheet read through a connected mailbox. */
export function LeadImportPage() {
  const [params, setParams] = useSearchParams();
  const source = params.get('source') === 'sheets' ? 'sheets' : 'csv';
  return (
    <div className="page page-wide">
      <PageHeader
        title="Import leads"
        subtitle="From a CSV file or a Google Sheets range, with a header row. Leads are matched by email or phone: a person already here is updated, not duplicated."
        back={
          <Link to="/leads" className="back-link">
            ← Leads
          </Link>
        }
      />
      <div className="tabs lead-import-source" role="tablist" aria-label="Import from">
        {(
          [
            ['csv', 'CSV file'],
            ['sheets', 'From Google Sheets'],
          ] as const
        ).map(([value, label]) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={source === value}
            onClick={() => setParams(value === 'sheets' ? { source: 'sheets' } : {}, { replace: true })}
          >
            {label}
          </button>
        ))}
      </div>
      {source === 'sheets' ? <SheetsImport /> : <CsvImport />}
    </div>
  );
}

/** Choose a CSV → map its columns (previewed locally) → upload with progress → counts and refused rows. */
function CsvImport() {
  const queryClient = useQueryClient();
  const limits = useQuery({ queryKey: ['leads-import-limits'], queryFn: () => api<{ maxBytes: number }>('GET', '/leads/import/limits') });
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [readError, setReadError] = useState<unknown>(null);
  const [defaultCountry, setDefaultCountry] = useState('');
  const [fraction, setFraction] = useState(0);
  const [optedIn, setOptedIn] = useState<OptedIn>('');

  const send = useMutation({
    mutationFn: (c: Chosen) => {
      // The server reads the form fields that come before the file: mapping first.
      const form = new FormData();
      form.append('mapping', JSON.stringify(toMapping(c.preview.headers, c.choices)));
      if (defaultCountry.trim()) form.append('defaultCountry', defaultCountry.trim().toUpperCase());
      // Recorded by the server with who and when: the consent of rows without their own opt-in value rests on it.
      if (optedIn) form.append('consentConfirmed', optedIn);
      form.append('file', c.file, c.file.name);
      setFraction(0);
      return upload<LeadImportReport>('/leads/import', form, setFraction);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['leads'] }),
  });

  const onFile = async (file: File | undefined) => {
    setChosen(null);
    setReadError(null);
    send.reset();
    if (!file) return;
    try {
      const preview = await readCsvPreview(file);
      setChosen({ file, preview, choices: preview.headers.map((h) => (h === '' ? { kind: 'ignore' } : guessColumn(h))) });
    } catch (error) {
      setReadError(error);
    }
  };

  const maxBytes = limits.data?.maxBytes;
  const tooBig = chosen && maxBytes !== undefined && chosen.file.size > maxBytes;
  const problems = chosen
    ? [...(chosen.preview.problem ? [chosen.preview.problem] : []), ...mappingProblems(chosen.preview.headers, chosen.choices)]
    : [];
  const report = send.data;

  return (
    <>
      {limits.error && <ErrorBanner error={limits.error} />}

      {!report && (
        <section className="card" aria-labelledby="import-file-title">
          <h2 id="import-file-title">1. Choose a file</h2>
          <Field
            label="CSV file"
            hint={
              maxBytes !== undefined ? `UTF-8 or Windows-1252, comma or semicolon separated; up to ${formatBytes(maxBytes)}.` : undefined
            }
          >
            {(props) => (
              <input
                {...props}
                type="file"
                accept=".csv,text/csv"
                disabled={send.isPending}
                onChange={(e) => void onFile(e.target.files?.[0])}
              />
            )}
          </Field>
          {readError !== null && <ErrorBanner error={readError} />}
          {tooBig && (
            <Banner tone="error">
              {chosen.file.name} is {formatBytes(chosen.file.size)}; this server accepts files up to {formatBytes(maxBytes)}. Split it into
              smaller files and import each.
            </Banner>
          )}
        </section>
      )}

      {chosen && !tooBig && !report && (
        <section className="card" aria-labelledby="import-map-title">
          <h2 id="import-map-title">2. Map the columns</h2>
          <p className="muted">
            {chosen.file.name} · {formatBytes(chosen.file.size)} · {chosen.preview.headers.length} columns. Choose where each column goes;
            the preview shows the first rows as they will be imported.
          </p>
          <LeadColumnMapping
            preview={chosen.preview}
            choices={chosen.choices}
            onChange={(choices) => setChosen({ ...chosen, choices })}
            disabled={send.isPending}
          />
          <LeadImportOptions
            defaultCountry={defaultCountry}
            onDefaultCountry={setDefaultCountry}
            optedIn={optedIn}
            onOptedIn={setOptedIn}
            disabled={send.isPending}
            source="file"
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
          {send.isPending && <CsvUploadProgress fraction={fraction} size={chosen.file.size} />}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={problems.length > 0 || send.isPending}
              onClick={() => send.mutate(chosen)}
            >
              {send.isPending ? 'Importing…' : 'Import leads'}
            </button>
          </div>
        </section>
      )}

      {report && (
        <LeadImportResult
          report={report}
          againLabel="Import another file"
          again={() => {
            send.reset();
            setChosen(null);
          }}
        />
      )}
    </>
  );
}
