import { Field } from '../../../components/Field';
import { ANSWERING_MACHINE_CHOICES, answeringMachineChoice } from '../call-settings';
import { SendWindowFields } from './SendWindowFields';
import { LIMITS, placesCalls, VOICEMAIL_SCRIPT_MAX, WizardState } from './wizard-state';

/** Voice-only settings, shown when a step places calls. */
const VOICE_FIELDS = [
  {
    key: 'maxConcurrentCalls',
    label: 'Calls at once',
    hint: 'Live calls across every sender of the campaign; empty: the number’s own limit',
  },
  { key: 'callDelaySeconds', label: 'Seconds between call starts', hint: 'Empty: the number’s own setting' },
  { key: 'retryCount', label: 'Call again (times)', hint: 'Busy, no answer or not connected; never an answered call' },
  { key: 'retryDelaySeconds', label: 'Wait before calling again (seconds)', hint: 'Between the end of a call and the next try' },
] as const;

export function SettingsStep({
  state,
  problems,
  onChange,
}: {
  state: WizardState;
  problems: Record<string, string>;
  onChange: (patch: Partial<WizardState>) => void;
}) {
  const s = state.settings;
  const set = (patch: Partial<WizardState['settings']>) => onChange({ settings: { ...s, ...patch } });
  return (
    <div className="card form">
      <p className="muted">
        Leave a field empty to use the default: the sender’s own rate, no daily cap, the workflow’s concurrency
        {state.type === 'triggered' ? '. The frequency cap is set with the trigger.' : ', start at launch.'}
      </p>
      <div className="form-row">
        <Field
          label="Rate (messages per second)"
          error={problems.ratePerSecond}
          hint={`${LIMITS.ratePerSecond.min} to ${LIMITS.ratePerSecond.max.toLocaleString()}; the sender’s own rate still applies`}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              inputMode="decimal"
              min={LIMITS.ratePerSecond.min}
              max={LIMITS.ratePerSecond.max}
              step="any"
              value={s.ratePerSecond}
              onChange={(e) => set({ ratePerSecond: e.target.value })}
            />
          )}
        </Field>
        <Field label="Daily cap (messages per 24 hours)" error={problems.dailyCap} hint={`1 to ${LIMITS.dailyCap.max.toLocaleString()}`}>
          {(p) => (
            <input
              {...p}
              type="number"
              inputMode="numeric"
              min={1}
              max={LIMITS.dailyCap.max}
              step={1}
              value={s.dailyCap}
              onChange={(e) => set({ dailyCap: e.target.value })}
            />
          )}
        </Field>
        <Field label="Concurrency (requests in flight)" error={problems.concurrency} hint={`1 to ${LIMITS.concurrency.max}`}>
          {(p) => (
            <input
              {...p}
              type="number"
              inputMode="numeric"
              min={1}
              max={LIMITS.concurrency.max}
              step={1}
              value={s.concurrency}
              onChange={(e) => set({ concurrency: e.target.value })}
            />
          )}
        </Field>
        {state.type !== 'triggered' && (
          <Field label="Start at" error={problems.startAt} hint="Your local time; empty: as soon as it is launched">
            {(p) => <input {...p} type="datetime-local" value={s.startAt} onChange={(e) => set({ startAt: e.target.value })} />}
          </Field>
        )}
        <Field label="When a lead replies" hint="An out-of-office answer stops nothing">
          {(p) => (
            <select
              {...p}
              value={s.stopOnReply}
              onChange={(e) => set({ stopOnReply: e.target.value as WizardState['settings']['stopOnReply'] })}
            >
              <option value="all_campaigns">Stop their steps in every running campaign</option>
              <option value="this_campaign">Stop their steps in this campaign only</option>
            </select>
          )}
        </Field>
        <Field label="Hand over to a person" hint="A reply saying “call me” or yes goes to the Callbacks queue">
          {(p) => (
            <select {...p} value={s.onReply} onChange={(e) => set({ onReply: e.target.value as WizardState['settings']['onReply'] })}>
              <option value="nothing">No: replies stay in the inbox</option>
              <option value="callback">Create a callback request</option>
            </select>
          )}
        </Field>
        {placesCalls(state) && (
          <fieldset className="voice-settings" aria-label="Voice calls">
            <legend>Voice calls</legend>
            {VOICE_FIELDS.map((f) => (
              <Field
                key={f.key}
                label={f.label}
                error={problems[f.key]}
                hint={`${f.hint} (${LIMITS[f.key].min} to ${LIMITS[f.key].max.toLocaleString()})`}
              >
                {(p) => (
                  <input
                    {...p}
                    name={f.key}
                    type="number"
                    inputMode="numeric"
                    min={LIMITS[f.key].min}
                    max={LIMITS[f.key].max}
                    step={1}
                    value={s[f.key]}
                    onChange={(e) => set({ [f.key]: e.target.value })}
                  />
                )}
              </Field>
            ))}
            <div className="answering-machine-field">
              <Field label="Answering machine" hint={answeringMachineChoice(s.answeringMachine).effect}>
                {(p) => (
                  <select
                    {...p}
                    name="answeringMachine"
                    value={s.answeringMachine}
                    onChange={(e) => set({ answeringMachine: e.target.value as WizardState['settings']['answeringMachine'] })}
                  >
                    {ANSWERING_MACHINE_CHOICES.map((c) => (
                      <option key={c.value} value={c.value}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            {s.answeringMachine === 'voicemail' && (
              <div className="voicemail-field">
                <Field
                  label="Voicemail script"
                  error={problems.voicemailScript}
                  hint={
                    <>
                      Spoken after the beep; Liquid, such as {'{{ lead.first_name }}'}. {s.voicemailScript.length.toLocaleString()} of{' '}
                      {VOICEMAIL_SCRIPT_MAX.toLocaleString()} characters
                    </>
                  }
                >
                  {(p) => (
                    <textarea
                      {...p}
                      name="voicemailScript"
                      rows={4}
                      required
                      maxLength={VOICEMAIL_SCRIPT_MAX}
                      placeholder="Hi {{ lead.first_name }}, this is Acme calling about your renewal. Call us back at…"
                      value={s.voicemailScript}
                      onChange={(e) => set({ voicemailScript: e.target.value })}
                    />
                  )}
                </Field>
              </div>
            )}
          </fieldset>
        )}
        <Field label="When a call is not answered" hint="Voice steps: no answer or busy, after the last try">
          {(p) => (
            <select
              {...p}
              value={s.onNoAnswer}
              onChange={(e) => set({ onNoAnswer: e.target.value as WizardState['settings']['onNoAnswer'] })}
            >
              <option value="nothing">Nothing more</option>
              <option value="callback">Create a callback request</option>
            </select>
          )}
        </Field>
      </div>
      <SendWindowFields state={state} problems={problems} onChange={(patch) => set({ sendWindow: { ...s.sendWindow, ...patch } })} />
    </div>
  );
}
