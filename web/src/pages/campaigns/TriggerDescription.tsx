import './triggers.css';
import { describeTrigger } from './trigger-description';
import type { CampaignTrigger, FrequencyCap } from './types';

/** A trigger in words, one line per aspect (the wizard's review and the campaign page). */
export function TriggerDescription({ trigger, frequencyCap }: { trigger: CampaignTrigger; frequencyCap?: FrequencyCap | null }) {
  return (
    <dl className="trigger-description" data-testid="trigger-description">
      {describeTrigger(trigger, frequencyCap).map((line) => (
        <div key={line.key} data-line={line.key}>
          <dt>{line.label}</dt>
          <dd>{line.text}</dd>
        </div>
      ))}
    </dl>
  );
}
