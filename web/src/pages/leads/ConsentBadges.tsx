import { CHANNEL_LABELS, CONSENT_CHANNELS, Lead } from './types';

/** Per channel: opted in, opted out, or never asked (left out), in words as well as colour. */
export function ConsentBadges({ consent }: { consent: Lead['consent'] }) {
  const asked = CONSENT_CHANNELS.filter((c) => consent[c] !== undefined);
  if (asked.length === 0) return <span className="muted">Not asked</span>;
  return (
    <span className="consent-badges">
      {asked.map((c) => (
        <span key={c} className={`badge ${consent[c] ? 'badge-ok' : 'badge-muted'}`} data-consent={`${c}:${consent[c]}`}>
          {CHANNEL_LABELS[c]} <span aria-hidden="true">{consent[c] ? '✓' : '✗'}</span>
          <span className="sr-only">{consent[c] ? ' opted in' : ' opted out'}</span>
        </span>
      ))}
    </span>
  );
}
