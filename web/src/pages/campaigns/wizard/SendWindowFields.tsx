import { useId } from 'react';
import { Field } from '../../../components/Field';
import { outsideTcpaHours, parseTime, TCPA_REASON, timeZones, WEEKDAYS, WORKDAYS, EVERY_DAY } from '../send-window';
import { SendWindowDraft, sendWindowOf, sendWindowOn, textsOrCallsLeads, WizardState } from './wizard-state';

/** Whole hours offered while typing a time (any minute can still be typed). */
const HOURS = Array.from({ length: 25 }, (_, h) => `${String(h).padStart(2, '0')}:00`);

/**
 * The Settings step's "Send window": on, the days, the hours and the zone for leads without one. Proposed (on, every
 * day 08:00–21:00) for a campaign that texts or calls, with the reason; a window that lets texts and calls out at
 * other hours says what the law allows.
 */
export function SendWindowFields({
  state,
  problems,
  onChange,
}: {
  state: WizardState;
  problems: Record<string, string>;
  onChange: (patch: Partial<SendWindowDraft>) => void;
}) {
  const ids = useId();
  const w = state.settings.sendWindow;
  const on = sendWindowOn(state);
  const phones = textsOrCallsLeads(state);
  const daysError = problems['sendWindow.days'];
  const toggleDay = (day: number, checked: boolean) =>
    onChange({ days: checked ? [...w.days.filter((d) => d !== day), day].sort((a, b) => a - b) : w.days.filter((d) => d !== day) });
  // Typed "9" or "930" reads as 09:00 / 09:30 once the field is left.
  const tidy = (key: 'start' | 'end') => {
    const time = parseTime(w[key], key === 'end');
    if (time && time !== w[key]) onChange({ [key]: time });
  };
  const lawWarning = phones && outsideTcpaHours(sendWindowOf(state).sendWindow);

  return (
    <fieldset className="send-window-settings" aria-label="Send window">
      <legend>Send window</legend>
      <label className="check">
        <input type="checkbox" name="sendWindowOn" checked={on} onChange={(e) => onChange({ enabled: e.target.checked })} />
        Only send during set hours
      </label>
      <p className="field-hint">
        The hours are each lead’s local time: their own time zone, else their phone number’s country (a US number must be inside them
        everywhere from New York to Honolulu), else the zone below. Messages due outside them wait and go when the window opens; none is
        skipped.
      </p>
      {phones && (
        <p className={lawWarning ? 'send-window-law send-window-law-warning' : 'send-window-law'} data-testid="send-window-law">
          {TCPA_REASON}
          {lawWarning
            ? on
              ? ': this window would text or call US numbers outside those hours.'
              : ': without a window, US numbers may be texted or called at any hour.'
            : w.enabled === null
              ? ', so this window is proposed for a campaign that texts or calls.'
              : '.'}
        </p>
      )}
      {on && (
        <>
          <fieldset
            className="send-window-days"
            aria-label="Days"
            aria-describedby={daysError ? `${ids}-days-error` : undefined}
            aria-invalid={daysError ? true : undefined}
          >
            <legend>Days</legend>
            <div className="wizard-choices">
              {WEEKDAYS.map((d) => (
                <label key={d.day} className="check" title={d.name}>
                  <input type="checkbox" checked={w.days.includes(d.day)} onChange={(e) => toggleDay(d.day, e.target.checked)} />
                  {d.short}
                </label>
              ))}
            </div>
            <div className="form-actions">
              <button type="button" className="btn btn-small" onClick={() => onChange({ days: [...WORKDAYS] })}>
                Mon–Fri
              </button>
              <button type="button" className="btn btn-small" onClick={() => onChange({ days: [...EVERY_DAY] })}>
                Every day
              </button>
            </div>
            {daysError && (
              <p id={`${ids}-days-error`} className="field-error">
                {daysError}
              </p>
            )}
          </fieldset>
          <div className="form-row send-window-hours">
            <Field label="From" error={problems['sendWindow.start']} hint="24-hour, such as 09:00">
              {(p) => (
                <input
                  {...p}
                  name="sendWindowStart"
                  placeholder="HH:MM"
                  autoComplete="off"
                  list={`${ids}-hours`}
                  value={w.start}
                  onChange={(e) => onChange({ start: e.target.value })}
                  onBlur={() => tidy('start')}
                />
              )}
            </Field>
            <Field label="Until" error={problems['sendWindow.end']} hint="Not included: 17:00 stops at 16:59; 24:00 for midnight">
              {(p) => (
                <input
                  {...p}
                  name="sendWindowEnd"
                  placeholder="HH:MM"
                  autoComplete="off"
                  list={`${ids}-hours`}
                  value={w.end}
                  onChange={(e) => onChange({ end: e.target.value })}
                  onBlur={() => tidy('end')}
                />
              )}
            </Field>
            <Field
              label="Time zone for leads without one"
              error={problems['sendWindow.timezone']}
              hint="When neither the lead nor their phone number tells it; empty: UTC"
            >
              {(p) => (
                <input
                  {...p}
                  name="sendWindowTimezone"
                  autoComplete="off"
                  spellCheck={false}
                  list={`${ids}-zones`}
                  value={w.timezone}
                  onChange={(e) => onChange({ timezone: e.target.value })}
                />
              )}
            </Field>
          </div>
          <datalist id={`${ids}-hours`}>
            {HOURS.map((h) => (
              <option key={h} value={h} />
            ))}
          </datalist>
          <datalist id={`${ids}-zones`}>
            {timeZones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </>
      )}
    </fieldset>
  );
}
