import './call-settings.css';
import { describeTiming } from './timing';
import type { CampaignSettings, CampaignType, StepChannel } from './types';

/**
 * When a campaign sends, in words, as a card: the wizard's review (the window; the pace is said above it) and the
 * campaign page (with the start and the limits).
 */
export function TimingCard({
  settings,
  channels,
  type,
  pace = false,
}: {
  settings: CampaignSettings;
  channels: StepChannel[];
  type: CampaignType;
  pace?: boolean;
}) {
  return (
    <section className="card" aria-labelledby="timing-heading">
      <div className="section-head">
        <h2 id="timing-heading">Timing</h2>
      </div>
      <dl className="settings-description" data-testid="timing">
        {describeTiming(settings, { channels, type, pace }).map((line) => (
          <div key={line.key} data-line={line.key} className={line.key === 'law' ? 'settings-warning' : undefined}>
            <dt>{line.label}</dt>
            <dd>{line.text}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
