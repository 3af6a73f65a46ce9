import { ErrorBanner } from '../../components/ErrorBanner';
import { SmsSegmentMeter } from './SmsSegmentMeter';
import type { RenderedEmail, RenderedVoice, RenderedWhatsApp, RenderResult } from './types';

/** What the lead would receive, as the renderer the n8n nodes use produced it. */
export function TemplatePreview({ result, error, busy }: { result: RenderResult | undefined; error: unknown; busy: boolean }) {
  return (
    <section className="template-preview" aria-label="Preview" aria-busy={busy} data-testid="template-preview">
      <div className="section-head">
        <h2>Preview</h2>
        {busy && (
          <span className="muted" role="status">
            Rendering…
          </span>
        )}
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {!error && result && <Rendered result={result} />}
    </section>
  );
}

function Rendered({ result }: { result: RenderResult }) {
  if (result.status === 'skipped') {
    return (
      <div className="alert alert-info" role="status">
        This lead would be skipped: {result.variables.join(', ')} {result.variables.length === 1 ? 'is' : 'are'} empty and has no{' '}
        <code>default</code> filter.
      </div>
    );
  }
  switch (result.channel) {
    case 'email':
      return <EmailPreview email={result} />;
    case 'sms':
      return (
        <>
          <p className="sms-bubble" data-testid="sms-preview">
            {result.body}
          </p>
          <SmsSegmentMeter info={result} label="Rendered for this lead" testId="sms-rendered-meter" />
        </>
      );
    case 'whatsapp':
      return <WhatsAppPreview message={result} />;
    case 'voice':
      return <VoicePreview voice={result} />;
  }
}

/** The HTML part in a sandboxed frame: no scripts, no forms, no same-origin access, whatever the template holds. */
function EmailPreview({ email }: { email: RenderedEmail }) {
  return (
    <div className="email-preview">
      <p>
        <span className="muted">Subject:</span> <strong data-testid="email-subject">{email.subject}</strong>
      </p>
      {email.html !== undefined && (
        <iframe
          title="Email HTML preview"
          sandbox=""
          srcDoc={email.html}
          referrerPolicy="no-referrer"
          className="email-frame"
          data-testid="email-html-preview"
        />
      )}
      <h3>Text part</h3>
      <pre className="text-part" data-testid="email-text-preview">
        {email.text}
      </pre>
    </div>
  );
}

type HeaderParameter = RenderedWhatsApp['components'][number]['parameters'][number];
const mediaLink = (p: HeaderParameter) =>
  p.type === 'image' ? p.image.link : p.type === 'video' ? p.video.link : p.type === 'document' ? p.document.link : '';

function WhatsAppPreview({ message }: { message: RenderedWhatsApp }) {
  return (
    <div data-testid="whatsapp-preview">
      <p>
        Template <code>{message.name}</code> in <code>{message.language}</code>
      </p>
      {message.components.length === 0 && <p className="muted">No parameters: the approved template is sent as it is.</p>}
      {message.components.map((c, i) => (
        <div key={i} className="wa-component">
          <h3>{c.type === 'button' ? `URL button ${c.index}` : c.type === 'header' ? 'Header' : 'Body'}</h3>
          <ol>
            {c.parameters.map((p, j) => (
              <li key={j}>
                {p.type === 'text' ? (
                  <>
                    <span className="muted">{`{{${j + 1}}}`}</span> {p.text}
                  </>
                ) : (
                  // A media header: the link Meta will fetch the image, video or document from.
                  <>
                    <span className="muted">{p.type}</span> {mediaLink(p)}
                  </>
                )}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </div>
  );
}

function VoicePreview({ voice }: { voice: RenderedVoice }) {
  return (
    <div data-testid="voice-preview">
      <h3>TwiML</h3>
      <pre className="text-part">{voice.twiml}</pre>
    </div>
  );
}
