import './call-settings.css';
import type { CampaignSettings } from './types';
import { describeCallSettings } from './call-settings';

/** A voice campaign's call settings in words, as a card (the wizard's review and the campaign page). */
export function CallSettingsCard({ settings }: { settings: CampaignSettings }) {
  return (
    <section className="card" aria-labelledby="call-settings-heading">
      <div className="section-head">
        <h2 id="call-settings-heading">Call settings</h2>
      </div>
      <dl className="call-settings-description" data-testid="call-settings">
        {describeCallSettings(settings).map((line) => (
          <div key={line.key} data-line={line.key}>
            <dt>{line.label}</dt>
            <dd>{line.key === 'voicemailScript' ? <span className="voicemail-script">{line.text}</span> : line.text}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
