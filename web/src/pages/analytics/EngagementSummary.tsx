import { formatNumber } from '../../format';
import { type Counts, formatRate, RATE_LABELS, type RateKey, type Rates, type Revenue } from './types';

const FUNNEL: Array<{ key: keyof Counts; label: string }> = [
  { key: 'sent', label: 'Sent' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'opened', label: 'Opened' },
  { key: 'clicked', label: 'Clicked' },
  { key: 'replied', label: 'Replied' },
  { key: 'conversions', label: 'Conversions' },
];
const OTHERS: Array<{ key: keyof Counts; label: string }> = [
  { key: 'failed', label: 'Failed' },
  { key: 'bounced', label: 'Bounced' },
  { key: 'unsubscribed', label: 'Unsubscribed' },
  { key: 'complained', label: 'Complaints' },
  { key: 'read', label: 'Read (WhatsApp)' },
  { key: 'answered', label: 'Answered calls' },
  { key: 'unknown', label: 'Unknown' },
  { key: 'skipped', label: 'Skipped' },
  { key: 'machineOpened', label: 'Machine opens' },
  { key: 'machineClicked', label: 'Machine clicks' },
];

/** The funnel (each stage as a bar against sent), the rates over delivered, other counts and revenue. */
export function EngagementSummary({ totals, rates, revenue }: { totals: Counts; rates: Rates; revenue: Revenue[] }) {
  const top = Math.max(1, totals.sent);
  return (
    <>
      <section className="card" aria-labelledby="funnel-heading">
        <h2 id="funnel-heading">Funnel</h2>
        <ol className="funnel" data-testid="funnel">
          {FUNNEL.map(({ key, label }) => (
            <li key={key} className="funnel-stage" data-metric={key}>
              <span className="funnel-label">{label}</span>
              <span className="funnel-bar" aria-hidden="true">
                <span style={{ width: `${Math.min(100, (totals[key] / top) * 100)}%` }} />
              </span>
              <span className="funnel-value">{formatNumber(totals[key])}</span>
            </li>
          ))}
        </ol>
        <p className="muted">
          Opens and clicks are people's: {formatNumber(totals.machineOpened)} machine opens and {formatNumber(totals.machineClicked)}{' '}
          machine clicks (mail privacy proxies, security scanners) are counted apart.
        </p>
      </section>
      <section className="card" aria-labelledby="rates-heading">
        <h2 id="rates-heading">Rates over delivered</h2>
        <dl className="stats" data-testid="rates">
          {(Object.keys(RATE_LABELS) as RateKey[]).map((k) => (
            <div className="stat" key={k} data-rate={k}>
              <dt className="stat-label">{RATE_LABELS[k]}</dt>
              <dd className="stat-value">{formatRate(rates[k])}</dd>
            </div>
          ))}
        </dl>
        <dl className="stats" data-testid="other-counts">
          {OTHERS.map(({ key, label }) => (
            <div className="stat" key={key} data-metric={key}>
              <dt className="stat-label">{label}</dt>
              <dd className="stat-value">{formatNumber(totals[key])}</dd>
            </div>
          ))}
          {revenue.map((r) => (
            <div className="stat" key={r.currency} data-revenue={r.currency}>
              <dt className="stat-label">Revenue ({r.currency})</dt>
              <dd className="stat-value">{formatMoney(r)}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}

function formatMoney(r: Revenue): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: r.currency }).format(Number(r.amount));
  } catch {
    return `${r.amount} ${r.currency}`;
  }
}
