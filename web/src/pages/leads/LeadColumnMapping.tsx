import { ATTRIBUTE_KEY, choiceFromValue, choiceValue, ColumnChoice, TARGET_OPTIONS, targetLabel } from './leadCsvMapping';
import { CsvPreview } from './readCsvPreview';

const YES = new Set(['true', 'yes', 'y', '1', 'opted in', 'opt in', 'subscribed']);
const NO = new Set(['false', 'no', 'n', '0', 'opted out', 'opt out', 'unsubscribed']);

/** A consent cell as the server will read it (the same yes/no words as lead-csv-mapping.ts). */
function consentText(value: string): string {
  if (value === '') return '';
  const v = value.toLowerCase();
  if (YES.has(v)) return 'Opted in';
  if (NO.has(v)) return 'Opted out';
  return `“${value}” is not yes/no`;
}

const columnName = (header: string, i: number) => header || `Column ${i + 1} (no name)`;

/** Each detected column → a lead field, a consent flag, a custom attribute or nothing; then the first rows as mapped. */
export function LeadColumnMapping({
  preview,
  choices,
  onChange,
  disabled,
}: {
  preview: CsvPreview;
  choices: ColumnChoice[];
  onChange: (choices: ColumnChoice[]) => void;
  disabled?: boolean;
}) {
  const set = (i: number, c: ColumnChoice) => onChange(choices.map((old, j) => (j === i ? c : old)));
  const mapped = choices.map((c, i) => ({ c, i })).filter(({ c }) => c.kind !== 'ignore');
  return (
    <div className="lead-mapping">
      <div className="table-frame">
        <table className="table" data-testid="column-mapping">
          <caption className="sr-only">Where each column of the file goes</caption>
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col" className="secondary">
                First value
              </th>
              <th scope="col">Import as</th>
            </tr>
          </thead>
          <tbody>
            {preview.headers.map((h, i) => {
              const c = choices[i]!;
              const name = columnName(h, i);
              return (
                <tr key={`${i}-${h}`} data-column={h}>
                  <th scope="row">{name}</th>
                  <td className="secondary mono">{preview.rows[0]?.[i] || '—'}</td>
                  <td>
                    <div className="lead-mapping-target">
                      <select
                        aria-label={`Import “${name}” as`}
                        value={choiceValue(c)}
                        disabled={disabled || h === ''}
                        onChange={(e) => set(i, choiceFromValue(e.target.value, h, c))}
                      >
                        {TARGET_OPTIONS.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                      {c.kind === 'attribute' && (
                        <input
                          aria-label={`Attribute name for “${name}”`}
                          aria-invalid={!ATTRIBUTE_KEY.test(c.key) || undefined}
                          value={c.key}
                          maxLength={100}
                          disabled={disabled}
                          onChange={(e) => set(i, { kind: 'attribute', key: e.target.value })}
                        />
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h3 className="lead-mapping-preview-title">Preview of the first {preview.rows.length} rows as imported</h3>
      {preview.rows.length === 0 ? (
        <p className="muted">
          {preview.rowNumbers ? 'The range has a header but no rows under it.' : 'The file has a header but no rows in its first 64 KB.'}
        </p>
      ) : (
        <div className="table-frame">
          <table className="table" data-testid="mapping-preview">
            <caption className="sr-only">The first rows of the file as they will be imported</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Row
                </th>
                {mapped.map(({ c, i }) => (
                  <th scope="col" key={i}>
                    {targetLabel(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, r) => (
                <tr key={r}>
                  {/* Row numbers as the server reports them: the header is row 1 of a file, a sheet's rows keep their own. */}
                  <td className="num">{preview.rowNumbers?.[r] ?? r + 2}</td>
                  {mapped.map(({ c, i }) => (
                    <td key={i} data-target={targetLabel(c)}>
                      {c.kind === 'consent' ? consentText(row[i] ?? '') : row[i]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
