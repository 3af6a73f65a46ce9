import { formatNumber } from '../format';
import { ProgressBar } from './ProgressBar';

/** Bytes going up, then the server working through the rows (the upload alone says nothing about that). */
export function CsvUploadProgress({ fraction, size }: { fraction: number; size: number }) {
  const kb = (n: number) => Math.ceil(n / 1024);
  return (
    <div className="csv-upload-progress" aria-live="polite">
      <ProgressBar label="Upload" done={kb(fraction * size)} total={kb(size)} />
      <p className="muted">
        {fraction < 1 ? `Uploading (KB sent of ${formatNumber(kb(size))} KB)…` : 'Uploaded. Checking and saving the rows…'}
      </p>
    </div>
  );
}

/** "1.5 MB": file sizes for people. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toLocaleString(undefined, { maximumFractionDigits: 1 })} ${units[i]}`;
}
