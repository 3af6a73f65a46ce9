import { Field } from '../../components/Field';
import { TemplateDraft } from './draft';
import { LiquidEditor } from './LiquidEditor';
import { smsSegments, SmsSegmentMeter } from './SmsSegmentMeter';
import { FieldProblem, where } from './types';
import { WhatsAppFields } from './WhatsAppFields';

type Update = (change: (d: TemplateDraft) => TemplateDraft) => void;

/** The problems the API located in one field, and the same as one line for a plain input's error slot. */
const of = (problems: FieldProblem[], field: string) => problems.filter((p) => p.field === field);
const line = (problems: FieldProblem[]) =>
  problems.map((p) => `${where(p) ? `${where(p)}: ` : ''}${p.message} (${p.code})`).join('; ') || null;

/** The fields of the draft's channel: email, SMS, WhatsApp or voice. */
export function ChannelFields({ draft, update, problems }: { draft: TemplateDraft; update: Update; problems: FieldProblem[] }) {
  switch (draft.channel) {
    case 'email':
      return <EmailFields draft={draft} update={update} problems={problems} />;
    case 'sms':
      return <SmsFields draft={draft} update={update} problems={problems} />;
    case 'whatsapp':
      return <WhatsAppFields draft={draft} update={update} problems={problems} />;
    case 'voice':
      return <VoiceFields draft={draft} update={update} problems={problems} />;
  }
}

type Props = { draft: TemplateDraft; update: Update; problems: FieldProblem[] };

function EmailFields({ draft, update, problems }: Props) {
  return (
    <>
      <Field label="Subject" error={line(of(problems, 'subject'))}>
        {(a) => <input {...a} value={draft.subject} onChange={(e) => update((d) => ({ ...d, subject: e.target.value }))} />}
      </Field>
      <LiquidEditor
        label="HTML body"
        value={draft.html}
        onChange={(html) => update((d) => ({ ...d, html }))}
        problems={of(problems, 'html')}
        minHeight="12rem"
        hint={
          <>
            Liquid outputs are HTML-escaped. <code>{'{{ unsubscribe_url }}'}</code> is the lead’s one-click unsubscribe link.
          </>
        }
      />
      <LiquidEditor
        label="Text body (optional)"
        value={draft.text}
        onChange={(text) => update((d) => ({ ...d, text }))}
        problems={of(problems, 'text')}
        placeholderText="Leave empty: the text part is derived from the HTML body."
        minHeight="5rem"
      />
    </>
  );
}

function SmsFields({ draft, update, problems }: Props) {
  return (
    <>
      <LiquidEditor
        label="SMS body"
        value={draft.body}
        onChange={(body) => update((d) => ({ ...d, body }))}
        problems={of(problems, 'body')}
      />
      <SmsSegmentMeter info={smsSegments(draft.body)} label="Template text" testId="sms-source-meter" />
    </>
  );
}

function VoiceFields({ draft, update, problems }: Props) {
  const v = draft.voice;
  const set = (change: Partial<TemplateDraft['voice']>) => update((d) => ({ ...d, voice: { ...d.voice, ...change } }));
  return (
    <>
      <Field label="Mode" hint="Say reads the script with text-to-speech; agent connects the call to a live voice agent.">
        {(a) => (
          <select {...a} value={v.mode} onChange={(e) => set({ mode: e.target.value as 'say' | 'agent' })}>
            <option value="say">Say a script</option>
            <option value="agent">Connect a voice agent</option>
          </select>
        )}
      </Field>
      <LiquidEditor
        label={v.mode === 'say' ? 'Script' : 'Script before connecting (optional)'}
        value={v.script}
        onChange={(script) => set({ script })}
        problems={of(problems, 'voice.script')}
      />
      {v.mode === 'agent' && (
        <Field label="Stream URL" hint="wss:// endpoint of the agent; may use Liquid." error={line(of(problems, 'voice.streamUrl'))}>
          {(a) => <input {...a} className="mono" value={v.streamUrl} onChange={(e) => set({ streamUrl: e.target.value })} />}
        </Field>
      )}
      {v.mode === 'agent' && (
        <>
          <LiquidEditor
            label="Agent prompt (optional)"
            value={v.prompt}
            onChange={(prompt) => set({ prompt })}
            problems={of(problems, 'voice.prompt')}
          />
          <LiquidEditor
            label="First message (optional)"
            value={v.firstMessage}
            onChange={(firstMessage) => set({ firstMessage })}
            problems={of(problems, 'voice.firstMessage')}
          />
        </>
      )}
      <div className="form-row">
        <Field label="Voice (optional)" hint="Twilio voice, e.g. Polly.Joanna.">
          {(a) => <input {...a} value={v.voice} onChange={(e) => set({ voice: e.target.value })} />}
        </Field>
        <Field label="Language (optional)" hint="e.g. en-US.">
          {(a) => <input {...a} value={v.language} onChange={(e) => set({ language: e.target.value })} />}
        </Field>
      </div>
    </>
  );
}
