import { formatDateTime, formatDuration, formatNumber } from '../../../format';
import type { CampaignCheck, CheckFinding } from './wizard-api';

function Findings({ title, findings, testId }: { title: string; findings: CheckFinding[]; testId: string }) {
  if (findings.length === 0) return null;
  return (
    <div data-testid={testId}>
      <h3>
        {title} ({findings.length})
      </h3>
      <ul>
        {findings.map((f, i) => (
          <li key={`${f.code}-${i}`} data-code={f.code}>
            {f.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The pre-launch check of the saved draft: blocking findings (launch would refuse them), warnings, the
 * leads each template variable is missing for, and when the last message goes out, per sender.
 * `stale`: the wizard was edited since the check ran, so its answer may no longer hold.
 */
export function PreLaunchCheck({ check, stale }: { check: CampaignCheck; stale: boolean }) {
  const missing = check.steps.flatMap((s) => s.missingVariables.filter((v) => v.leads > 0).map((v) => ({ ...v, position: s.position })));
  return (
    <section className="card" aria-labelledby="check-heading" data-testid="pre-launch-check">
      <h2 id="check-heading">Pre-launch check</h2>
      {stale && <p className="muted">Edited since this check: check again before launching.</p>}
      {check.ok && <p data-testid="check-ok">Nothing blocks the launch.</p>}
      <Findings title="Blocking" findings={check.blocking} testId="check-blocking" />
      <Findings title="Warnings" findings={check.warnings} testId="check-warnings" />
      {missing.length > 0 && (
        <table className="wizard-table" data-testid="check-missing-variables">
          <caption>Leads missing a template variable without a default (each is skipped)</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Variable</th>
              <th scope="col" className="num">
                Leads
              </th>
            </tr>
          </thead>
          <tbody>
            {missing.map((v) => (
              <tr key={`${v.position}-${v.variable}`}>
                <td>{v.position + 1}</td>
                <td>
                  <code>{v.variable}</code>
                </td>
                <td className="num">{formatNumber(v.leads)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {check.eta ? (
        <div data-testid="check-eta">
          <p>
            Last message around <strong data-testid="check-eta-at">{formatDateTime(check.eta.lastMessageAt)}</strong>,{' '}
            {formatDuration(check.eta.seconds)} after the start ({formatDateTime(check.eta.startAt)}): rates, daily and warm-up caps, send
            windows in each lead’s zone and the other campaigns on the same senders included.
          </p>
          <ul>
            {check.eta.senders.map((s) => (
              <li key={s.sender} data-testid="check-eta-sender">
                {s.label}: {formatNumber(s.messages)} messages, last {formatDateTime(s.lastMessageAt)}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">
          No end can be estimated (a triggered campaign, a step without a sender, or a schedule longer than 400 days).
        </p>
      )}
    </section>
  );
}
