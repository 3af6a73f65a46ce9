import type { InboundKind } from '@cadence/contracts';

/** What the classifier reads of an inbound email, whichever channel brought it (Gmail raw MIME, Mailgun route fields). */
export interface ClassifiableMail {
  /** The sender's address, lowercased. */
  from: string;
  subject: string;
  /** Plain text of the message. */
  text: string;
  /** Header name (lowercased) -> first value. */
  headers: ReadonlyMap<string, string>;
  /** The text of a `message/delivery-status` part, when the message is a DSN. */
  deliveryStatus?: string;
}

export interface Classification {
  kind: InboundKind;
  /** Why, in words a person can check against the message (e.g. "Auto-Submitted: auto-replied"). */
  reason: string;
  /** Bounces: who could not be reached, and whether the failure is final (5.x.x) or a delay (4.x.x). */
  failedRecipients?: string[];
  permanent?: boolean;
  diagnostic?: string;
}

const BOUNCE_SENDERS = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
const AUTO_PRECEDENCE = /^(auto_reply|bulk|junk)$/i;

// Subjects auto-responders put on an out-of-office answer, in English, German, French, Spanish, Italian,
// Dutch and Portuguese. Anchored at the start (after an optional "Re:"/"AW:"), so a person writing
// "Re: your question about my out of office" is not mistaken for one.
const OOO_SUBJECT =
  /^\s*(?:(?:re|aw|antw|sv|rv|r)\s*:\s*)*(?:out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|away from (?:the )?office|on vacation|on leave|abwesenheitsnotiz|automatische antwort|abwesend|absence du bureau|r[ée]ponse automatique|absent(?:e)? du bureau|respuesta autom[áa]tica|fuera de la oficina|risposta automatica|fuori ufficio|automatisch antwoord|afwezig|resposta autom[áa]tica|aus[êe]ncia|fora do escrit[óo]rio)\b/i;

// Openings of out-of-office bodies. Only the first lines are read: a person's reply that mentions a
// holiday further down is still a reply.
const OOO_BODY =
  /\b(?:i am|i'm|i will be|i'll be)\s+(?:currently\s+)?(?:out of (?:the )?office|away from (?:the|my) (?:office|desk)|on (?:vacation|holiday|annual leave|leave|parental leave))\b|\bthank you for your (?:e-?mail|message)[.,!]?\s+i am (?:currently )?(?:out|away)\b|\bich bin (?:derzeit |bis (?:zum )?[^\n]{1,30}? )?(?:nicht im b[üu]ro|abwesend|im urlaub)\b|\bje suis (?:actuellement )?(?:absent|absente|en cong[ée]s?)\b|\bestoy (?:actualmente )?(?:fuera de la oficina|de vacaciones|ausente)\b|\bsono (?:attualmente )?(?:fuori ufficio|in ferie|assente)\b|\bik ben (?:momenteel )?(?:afwezig|op vakantie|niet op kantoor)\b|\bestou (?:atualmente )?(?:fora do escrit[óo]rio|de f[ée]rias|ausente)\b/i;
const OOO_BODY_WINDOW = 400;

/**
 * Tells a person's answer from an automatic one and from a bounce notice. Bounces first (a DSN often
 * also carries Auto-Submitted), then RFC 3834 and the vendors' auto-reply headers, then out-of-office
 * wording. Anything else is a person: a false "human" stops a sequence step, a false "auto-reply" would
 * keep mailing someone who answered, so the patterns stay narrow.
 */
export function classifyInbound(mail: ClassifiableMail): Classification {
  const h = (name: string) => mail.headers.get(name)?.trim();
  const contentType = h('content-type') ?? '';
  const failedHeader = h('x-failed-recipients');
  const isReport = /multipart\/report/i.test(contentType) && /report-type\s*=\s*"?delivery-status/i.test(contentType);
  if (isReport || failedHeader || BOUNCE_SENDERS.test(mail.from)) {
    const report = mail.deliveryStatus ?? '';
    const recipients = failedHeader
      ? failedHeader.split(',').map((a) => a.trim().toLowerCase())
      : [...report.matchAll(/^(?:final|original)-recipient:\s*rfc822;\s*<?([^\s>]+)>?/gim)].map((m) => m[1].toLowerCase());
    const status = /^status:\s*([245])\.\d{1,3}\.\d{1,3}/im.exec(report)?.[1] ?? /\b([45])\.\d\.\d{1,3}\b/.exec(mail.text)?.[1];
    const delayed = /^action:\s*delayed/im.test(report) && !/^action:\s*failed/im.test(report);
    const diagnostic =
      /^diagnostic-code:\s*(?:smtp;\s*)?(.+)$/im.exec(report)?.[1]?.trim() ??
      /\b(5\d\d[ -]\d\.\d\.\d{1,3}[^\n]*)/.exec(mail.text)?.[1]?.trim();
    return {
      kind: 'bounce',
      reason: isReport
        ? 'Content-Type: multipart/report; report-type=delivery-status'
        : failedHeader
          ? `X-Failed-Recipients: ${failedHeader}`
          : `From: ${mail.from}`,
      failedRecipients: [...new Set(recipients.filter((r) => r.includes('@')))],
      permanent: !delayed && status !== '4',
      ...(diagnostic && { diagnostic: diagnostic.slice(0, 500) }),
    };
  }
  const autoSubmitted = h('auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) return { kind: 'auto_reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    const value = h(name);
    if (value !== undefined && !/^(no|false|0)$/i.test(value)) return { kind: 'auto_reply', reason: `${name}: ${value}` };
  }
  const precedence = h('precedence');
  if (precedence && AUTO_PRECEDENCE.test(precedence)) return { kind: 'auto_reply', reason: `Precedence: ${precedence}` };
  // Exchange marks its own automatic answers so that other responders do not answer them back.
  const suppress = h('x-auto-response-suppress');
  if (suppress && /\b(all|oof|autoreply)\b/i.test(suppress)) return { kind: 'auto_reply', reason: `X-Auto-Response-Suppress: ${suppress}` };
  if (OOO_SUBJECT.test(mail.subject)) return { kind: 'auto_reply', reason: `out-of-office subject: ${mail.subject.slice(0, 200)}` };
  const opening = mail.text.slice(0, OOO_BODY_WINDOW);
  const body = OOO_BODY.exec(opening);
  if (body) return { kind: 'auto_reply', reason: `out-of-office text: "${body[0]}"` };
  return { kind: 'human', reason: 'no automatic-reply or bounce marker' };
}
