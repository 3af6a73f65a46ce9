import type { TestResult } from '../../api';

/** The outcome of a connection test, announced to screen readers (status when it worked, alert when not). */
export function ResultLine({ result }: { result: TestResult }) {
  return (
    <p className={result.ok ? 'row-ok' : 'row-error'} role={result.ok ? 'status' : 'alert'}>
      {result.ok ? '✓ ' : ''}
      {result.message}
      {!result.ok && result.code && <span className="error-code"> ({result.code})</span>}
    </p>
  );
}
