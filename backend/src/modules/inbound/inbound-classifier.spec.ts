import { describe, expect, it } from '@jest/globals';
import { classifyInbound, type ClassifiableMail } from './inbound-classifier';
import { parseInboundMime, referencedIds, replyText } from './inbound-mime';

function mail(over: Partial<Omit<ClassifiableMail, 'headers'>> & { headers?: Record<string, string> } = {}): ClassifiableMail {
  return {
    from: over.from ?? 'ada@example.com',
    subject: over.subject ?? 'Re: Quick question',
    text: over.text ?? 'Sounds good, let us talk on Tuesday.',
    headers: new Map(Object.entries(over.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    ...(over.deliveryStatus !== undefined && { deliveryStatus: over.deliveryStatus }),
  };
}

const raw = (lines: string[]) => Buffer.from(lines.join('\r\n'));

describe('classifyInbound', () => {
  it('a plain answer is a person', () => {
    expect(classifyInbound(mail())).toEqual({ kind: 'human', reason: 'no automatic-reply or bounce marker' });
  });

  it.each([
    [{ 'Auto-Submitted': 'auto-replied' }, 'Auto-Submitted: auto-replied'],
    [{ 'Auto-Submitted': 'auto-generated' }, 'Auto-Submitted: auto-generated'],
    [{ 'X-Autoreply': 'yes' }, 'x-autoreply: yes'],
    [{ 'X-Autorespond': 'vacation' }, 'x-autorespond: vacation'],
    [{ Precedence: 'auto_reply' }, 'Precedence: auto_reply'],
    [{ Precedence: 'bulk' }, 'Precedence: bulk'],
    [{ Precedence: 'junk' }, 'Precedence: junk'],
    [{ 'X-Auto-Response-Suppress': 'All' }, 'X-Auto-Response-Suppress: All'],
  ])('header %j is an automatic reply', (headers, reason) => {
    expect(classifyInbound(mail({ headers }))).toEqual({ kind: 'auto_reply', reason });
  });

  it('Auto-Submitted: no, Precedence: list and an unrelated X-Auto-Response-Suppress are a person', () => {
    expect(classifyInbound(mail({ headers: { 'Auto-Submitted': 'no' } })).kind).toBe('human');
    expect(classifyInbound(mail({ headers: { Precedence: 'list' } })).kind).toBe('human');
    expect(classifyInbound(mail({ headers: { 'X-Auto-Response-Suppress': 'DR, RN' } })).kind).toBe('human');
  });

  it.each([
    'Out of Office: Quick question',
    'Automatic reply: Quick question',
    'AW: Abwesenheitsnotiz',
    'Automatische Antwort: Ihre Anfrage',
    'Réponse automatique : Question',
    'Respuesta automática: Pregunta',
    'Risposta automatica: Domanda',
    'Automatisch antwoord: Vraag',
  ])('subject %s is an out-of-office', (subject) => {
    expect(classifyInbound(mail({ subject })).kind).toBe('auto_reply');
  });

  it.each([
    'Thank you for your email. I am currently out of the office until Monday.',
    "Hi, I'm on vacation with limited access to email.",
    'Ich bin bis zum 12. Mai nicht im Büro.',
    'Je suis absente jusqu’au 3 juin.',
    'Estoy fuera de la oficina hasta el lunes.',
  ])('an out-of-office opening %s is an automatic reply', (text) => {
    expect(classifyInbound(mail({ text })).kind).toBe('auto_reply');
  });

  it('a person mentioning a holiday in a subject or deep in the text is still a person', () => {
    expect(classifyInbound(mail({ subject: 'Re: planning my out of office' })).kind).toBe('human');
    const text = `Yes, please send the contract.${' We can sign it this week.'.repeat(20)} I am on vacation in August.`;
    expect(classifyInbound(mail({ text })).kind).toBe('human');
  });

  it('a DSN is a permanent bounce with the recipient and diagnostic from its report, before its Auto-Submitted', () => {
    const c = classifyInbound(
      mail({
        from: 'mailer-daemon@googlemail.com',
        subject: 'Delivery Status Notification (Failure)',
        headers: { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b"', 'Auto-Submitted': 'auto-replied' },
        deliveryStatus:
          'Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; Gone@Example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n',
      }),
    );
    expect(c).toEqual({
      kind: 'bounce',
      reason: 'Content-Type: multipart/report; report-type=delivery-status',
      failedRecipients: ['gone@example.com'],
      permanent: true,
      diagnostic: '550 5.1.1 user unknown',
    });
  });

  it('a delay notice is a bounce that is not permanent', () => {
    const c = classifyInbound(
      mail({
        headers: { 'Content-Type': 'multipart/report; report-type="delivery-status"' },
        deliveryStatus: 'Final-Recipient: rfc822; slow@example.com\nAction: delayed\nStatus: 4.4.7\n',
      }),
    );
    expect(c).toMatchObject({ kind: 'bounce', permanent: false, failedRecipients: ['slow@example.com'] });
  });

  it('X-Failed-Recipients or a postmaster sender alone is a bounce', () => {
    expect(classifyInbound(mail({ headers: { 'X-Failed-Recipients': 'a@x.com, B@y.com' } }))).toMatchObject({
      kind: 'bounce',
      failedRecipients: ['a@x.com', 'b@y.com'],
      permanent: true,
    });
    expect(classifyInbound(mail({ from: 'postmaster@example.org' })).kind).toBe('bounce');
  });
});

describe('parseInboundMime', () => {
  it('reads the threading headers, the text and a DSN report part', async () => {
    const m = await parseInboundMime(
      raw([
        'From: Mail Delivery Subsystem <MAILER-DAEMON@googlemail.com>',
        'To: me@example.com',
        'Subject: Undeliverable',
        'Message-ID: <dsn-1@mx.google.com>',
        'In-Reply-To: <0b5e6c3a-1111-4222-8333-944455556666@example.com>',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="XX"',
        '',
        '--XX',
        'Content-Type: text/plain',
        '',
        'Address not found',
        '--XX',
        'Content-Type: message/delivery-status',
        '',
        'Final-Recipient: rfc822; gone@example.com',
        'Action: failed',
        'Status: 5.1.1',
        '--XX--',
        '',
      ]),
    );
    expect(m.from).toBe('mailer-daemon@googlemail.com');
    expect(m.inReplyTo).toBe('<0b5e6c3a-1111-4222-8333-944455556666@example.com>');
    expect(m.text.trim()).toBe('Address not found');
    expect(m.deliveryStatus).toContain('Final-Recipient: rfc822; gone@example.com');
    expect(classifyInbound(m)).toMatchObject({ kind: 'bounce', failedRecipients: ['gone@example.com'], permanent: true });
  });
});

describe('replyText and referencedIds', () => {
  it('keeps the new part above the quoted original', () => {
    expect(replyText('Yes, Tuesday works.\n\nOn Mon, 1 Dec 2026 at 10:00, Bo <bo@x.com> wrote:\n> Can we talk?\n')).toBe(
      'Yes, Tuesday works.',
    );
    expect(replyText('Sure.\n-----Original Message-----\nFrom: bo')).toBe('Sure.');
    expect(replyText('> quoted only\n')).toBe('> quoted only');
  });

  it('lists In-Reply-To first, then References newest first, without duplicates', () => {
    expect(referencedIds('<c@x>', '<a@x> <b@x>\r\n <c@x>')).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(referencedIds(undefined, undefined)).toEqual([]);
  });
});
