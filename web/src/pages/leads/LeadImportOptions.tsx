import { Field } from '../../components/Field';

export type OptedIn = '' | 'whatsapp' | 'sms' | 'email';

/** The options every lead import takes: a country for national phone numbers, and the importer's opt-in statement. */
export function LeadImportOptions({
  defaultCountry,
  onDefaultCountry,
  optedIn,
  onOptedIn,
  disabled,
  source,
}: {
  defaultCountry: string;
  onDefaultCountry: (value: string) => void;
  optedIn: OptedIn;
  onOptedIn: (value: OptedIn) => void;
  disabled: boolean;
  /** "file" or "sheet": what the statement covers. */
  source: string;
}) {
  return (
    <div className="form-row">
      <Field label="Country for phone numbers without +" hint="Two letters, e.g. US or GB. Leave empty when numbers start with +.">
        {(props) => (
          <input
            {...props}
            value={defaultCountry}
            maxLength={2}
            autoComplete="country"
            onChange={(e) => onDefaultCountry(e.target.value)}
            disabled={disabled}
          />
        )}
      </Field>
      <Field
        label="These recipients opted in to"
        hint="Your statement, recorded with your name and the time; rows with their own opt-in column keep their value."
      >
        {(props) => (
          <select {...props} value={optedIn} onChange={(e) => onOptedIn(e.target.value as OptedIn)} disabled={disabled}>
            <option value="">No statement (use the {source}&apos;s opt-in columns)</option>
            <option value="whatsapp">WhatsApp</option>
            <option value="sms">SMS</option>
            <option value="email">Email</option>
          </select>
        )}
      </Field>
    </div>
  );
}
