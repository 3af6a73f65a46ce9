import { ErrorBanner } from './ErrorBanner';
import { Loading } from './Loading';

export interface Column<T> {
  /** Stable key, also the `data-col` attribute tests and styles can use. */
  key: string;
  header: React.ReactNode;
  cell: (row: T) => React.ReactNode;
  align?: 'start' | 'end';
  /** Hidden on phone widths (secondary columns). */
  secondary?: boolean;
}

/**
 * The app's table: a real <table> (screen readers announce headers per cell) in a horizontally
 * scrollable frame, with the loading, error and empty states every list needs. Row navigation is a
 * link in a cell, never a click handler on the row, so it works from the keyboard and opens in new tabs.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  isLoading,
  error,
  empty,
  footer,
  rowTestId,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  isLoading?: boolean;
  error?: unknown;
  empty?: React.ReactNode;
  footer?: React.ReactNode;
  rowTestId?: string;
}) {
  if (error) return <ErrorBanner error={error} />;
  if (isLoading && !rows) return <Loading />;
  if (rows && rows.length === 0 && empty) return <>{empty}</>;
  return (
    <div className="table-frame">
      <table className="table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                data-col={c.key}
                className={[c.align === 'end' && 'num', c.secondary && 'secondary'].filter(Boolean).join(' ') || undefined}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(rows ?? []).map((row) => (
            <tr key={rowKey(row)} data-testid={rowTestId}>
              {columns.map((c) => (
                <td
                  key={c.key}
                  data-col={c.key}
                  className={[c.align === 'end' && 'num', c.secondary && 'secondary'].filter(Boolean).join(' ') || undefined}
                >
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {footer && <div className="table-footer">{footer}</div>}
    </div>
  );
}
