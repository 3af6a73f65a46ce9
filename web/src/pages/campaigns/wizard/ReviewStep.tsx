import { ErrorBanner } from '../../../components/ErrorBanner';
import { Loading } from '../../../components/Loading';
import { formatDateTime, formatDuration, formatNumber } from '../../../format';
import { CallSettingsCard } from '../CallSettingsCard';
import { TimingCard } from '../TimingCard';
import { VariantsSummary } from './VariantsSummary';
import { SKIP_REASONS, useAudienceReview } from './wizard-api';
import { campaignInput, CHANNEL_NAMES, placesCalls, previewInput, settingsOf, WizardState } from './wizard-state';

const reasonName = (reason: string) => SKIP_REASONS[reason] ?? reason;

export function ReviewStep({ state }: { state: WizardState }) {
  const review = useAudienceReview(previewInput(state, true));
  const startAt = settingsOf(state.settings).startAt;
  const settings = campaignInput(state).settings;
  if (review.isPending) return <Loading what="the review" />;
  if (review.error) return <ErrorBanner error={review.error} />;
  const r = review.data;
  const skipped = Object.entries(r.skipped).filter(([, n]) => n > 0);
  const sequence = state.steps.length > 1;
  return (
    <div className="form" data-testid="review">
      <div className="stats">
        <div className="stat">
          <div className="stat-label">Leads in the audience</div>
          <div className="stat-value" data-testid="review-total">
            {formatNumber(r.total)}
          </div>
        </div>
        <div className="stat">
          <div className="stat-label">{sequence ? 'Messages that will be sent' : 'Will receive it'}</div>
          <div className="stat-value" data-testid="review-eligible">
            {formatNumber(r.eligible)}
          </div>
        </div>
        <div className="stat">
          <div className="stat-label">Skipped</div>
          <div className="stat-value">{formatNumber(r.messages - r.eligible)}</div>
        </div>
        <div className="stat">
          <div className="stat-label">Estimated duration</div>
          <div className="stat-value" data-testid="review-duration">
            {r.estimatedSeconds === null ? '—' : formatDuration(r.estimatedSeconds)}
          </div>
        </div>
      </div>
      <p className="muted">
        {r.ratePerSecond !== null && <>At {formatNumber(r.ratePerSecond)} msg/s (the slowest of the campaign’s rate and its senders’). </>}
        {startAt ? <>Starts {formatDateTime(startAt)}. </> : <>Starts at launch. </>}
        {settings.sendWindow && (
          <>Messages due outside the send window wait for it to open, which this estimate does not count (“Save and check” does). </>
        )}
        {sequence && 'Delays between steps are included; a no_reply condition may stop more messages later.'}
      </p>
      <section className="card" aria-labelledby="skipped-heading">
        <h2 id="skipped-heading">What will be skipped, and why</h2>
        {skipped.length === 0 ? (
          <p>Nothing: every message passes consent and suppression checks.</p>
        ) : (
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
                  <td>{reasonName(reason)}</td>
                  <td className="num">{formatNumber(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {sequence && (
        <section className="card" aria-labelledby="steps-heading">
          <h2 id="steps-heading">Per step</h2>
          <table className="wizard-table">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col" className="num">
                  Sent
                </th>
                <th scope="col">Skipped</th>
              </tr>
            </thead>
            <tbody>
              {r.perStep.map((s) => (
                <tr key={s.position}>
                  <td>
                    {s.position + 1}. {CHANNEL_NAMES[s.channel]}
                  </td>
                  <td className="num">{formatNumber(s.eligible)}</td>
                  <td>
                    {Object.entries(s.skipped)
                      .map(([reason, n]) => `${formatNumber(n)} ${reasonName(reason).toLowerCase()}`)
                      .join('; ') || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <VariantsSummary state={state} />
      <TimingCard settings={settings} channels={state.steps.map((s) => s.channel)} type={state.type} />
      {placesCalls(state) && <CallSettingsCard settings={settings} />}
    </div>
  );
}
