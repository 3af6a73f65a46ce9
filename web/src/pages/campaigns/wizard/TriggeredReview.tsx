import { Banner } from '../../../components/Banner';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { formatNumber } from '../../../format';
import { CallSettingsCard } from '../CallSettingsCard';
import { TimingCard } from '../TimingCard';
import { durationText } from '../trigger-description';
import { TriggerDescription } from '../TriggerDescription';
import { VariantsSummary } from './VariantsSummary';
import { SKIP_REASONS, useAudienceReview } from './wizard-api';
import { campaignInput, CHANNEL_NAMES, delaySeconds, placesCalls, previewInput, settingsOf, triggerOf, WizardState } from './wizard-state';

/**
 * The review of a triggered campaign: nothing is sent at launch, so instead of a send estimate it says
 * what enrolls whom (the trigger in words), who may enroll, and the steps each enrolled lead goes through.
 */
export function TriggeredReview({ state }: { state: WizardState }) {
  const review = useAudienceReview(previewInput(state, false));
  const trigger = triggerOf(state.trigger);
  const cap = settingsOf(state.settings, state.type, state.trigger).frequencyCap;
  const skipped = Object.entries(review.data?.skipped ?? {}).filter(([, n]) => n > 0);
  return (
    <div className="form" data-testid="review">
      <Banner tone="info">
        <span data-testid="review-launch-note">
          Launching enrolls nobody at once: the campaign starts listening. Each “{trigger.event}” event that matches enrolls its lead (when
          the lead may enroll), and the steps follow, timed from that event.
        </span>
      </Banner>
      <section className="card" aria-labelledby="review-trigger-heading">
        <div className="section-head">
          <h2 id="review-trigger-heading">Trigger</h2>
        </div>
        <TriggerDescription trigger={trigger} frequencyCap={cap} />
      </section>
      <div className="stats">
        <div className="stat">
          <div className="stat-label">Leads who may enroll</div>
          <div className="stat-value" data-testid="review-total">
            {review.data ? formatNumber(review.data.total) : '…'}
          </div>
        </div>
        <div className="stat">
          <div className="stat-label">Steps per enrollment</div>
          <div className="stat-value">{formatNumber(state.steps.length)}</div>
        </div>
      </div>
      {review.error && <ErrorBanner error={review.error} />}
      <section className="card" aria-labelledby="review-steps-heading">
        <div className="section-head">
          <h2 id="review-steps-heading">What an enrolled lead receives</h2>
        </div>
        <ol className="trigger-review-steps">
          {state.steps.map((step, i) => {
            const delay = delaySeconds(step);
            const when = i === 0 ? 'the event' : `step ${i}`;
            return (
              <li key={step.key}>
                {CHANNEL_NAMES[step.channel]}, {delay ? `${durationText(delay)} after ${when}` : `right after ${when}`}
                {i > 0 && step.noReply && ', only if the lead has not replied'}
              </li>
            );
          })}
        </ol>
      </section>
      {skipped.length > 0 && (
        <section className="card" aria-labelledby="skipped-heading">
          <h2 id="skipped-heading">Leads who may enroll but would be skipped today</h2>
          <table className="wizard-table">
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" className="num">
                  Messages
                </th>
              </tr>
            </thead>
            <tbody>
              {skipped.map(([reason, n]) => (
                <tr key={reason} data-testid={`skipped-${reason}`}>
                  <td>{SKIP_REASONS[reason] ?? reason}</td>
                  <td className="num">{formatNumber(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <VariantsSummary state={state} />
      <TimingCard settings={campaignInput(state).settings} channels={state.steps.map((s) => s.channel)} type={state.type} />
      {placesCalls(state) && <CallSettingsCard settings={campaignInput(state).settings} />}
    </div>
  );
}
