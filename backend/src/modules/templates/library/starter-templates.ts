import type { LibraryCategory, VoiceTemplateSpec, WhatsAppTemplateSpec } from '@cadence/contracts';
import type { TemplateChannel } from '../template.entity';

/**
 * The built-in starters: content a team can copy and edit instead of facing an empty editor. Each one
 * validates and renders against any lead (every lead variable has a default), which
 * starter-templates.spec.ts checks, so a copy can be launched as it is.
 */
export interface StarterTemplate {
  id: `starter-${string}`;
  name: string;
  channel: TemplateChannel;
  category: LibraryCategory;
  /** What it is for and what it expects (e.g. a custom attribute, an approved WhatsApp template). */
  description: string;
  subject?: string;
  html?: string;
  text?: string;
  body?: string;
  whatsapp?: WhatsAppTemplateSpec;
  voice?: VoiceTemplateSpec;
}

const FIRST_NAME = '{{ lead.first_name | default: "there" }}';
const FOOTER_HTML = '<p style="color:#667085;font-size:12px">Not interested? <a href="{{ unsubscribe_url }}">Unsubscribe</a>.</p>';
const FOOTER_TEXT = 'Not interested? Unsubscribe: {{ unsubscribe_url }}';

export const STARTER_TEMPLATES: readonly StarterTemplate[] = [
  {
    id: 'starter-welcome-email',
    name: 'Welcome email',
    channel: 'email',
    category: 'welcome',
    description: 'A short, personal first email after someone signs up or is imported.',
    subject: 'Welcome, {{ lead.first_name | default: "and thanks for joining" }}',
    html: `<p>Hi ${FIRST_NAME},</p>
<p>Thanks for your interest{% if lead.company %} from {{ lead.company }}{% endif %}. I'm here if you have questions: just reply to this email and it comes straight to me.</p>
<p>Have a great day!</p>
${FOOTER_HTML}`,
    text: `Hi ${FIRST_NAME},

Thanks for your interest{% if lead.company %} from {{ lead.company }}{% endif %}. I'm here if you have questions: just reply to this email and it comes straight to me.

Have a great day!

${FOOTER_TEXT}`,
  },
  {
    id: 'starter-follow-up-email',
    name: 'Follow-up email (no reply yet)',
    channel: 'email',
    category: 'follow_up',
    description: 'The second step of a sequence: a brief nudge sent a few days later to those who did not reply.',
    subject: 'Following up, {{ lead.first_name | default: "quickly" }}',
    html: `<p>Hi ${FIRST_NAME},</p>
<p>I wanted to make sure my last email didn't get buried. Would a 15-minute call this week be useful? Reply with a time that suits you.</p>
${FOOTER_HTML}`,
    text: `Hi ${FIRST_NAME},

I wanted to make sure my last email didn't get buried. Would a 15-minute call this week be useful? Reply with a time that suits you.

${FOOTER_TEXT}`,
  },
  {
    id: 'starter-re-engagement-email',
    name: 'Re-engagement email',
    channel: 'email',
    category: 're_engagement',
    description: 'For leads who have gone quiet: asks whether to keep in touch, and makes leaving easy.',
    subject: 'Should we keep in touch?',
    html: `<p>Hi ${FIRST_NAME},</p>
<p>It's been a while since we heard from you. If you'd still like our updates, simply reply "yes". If not, no hard feelings: the link below removes you in one click.</p>
${FOOTER_HTML}`,
    text: `Hi ${FIRST_NAME},

It's been a while since we heard from you. If you'd still like our updates, simply reply "yes". If not, no hard feelings: the link below removes you in one click.

${FOOTER_TEXT}`,
  },
  {
    id: 'starter-appointment-reminder-email',
    name: 'Appointment reminder email',
    channel: 'email',
    category: 'appointment_reminder',
    description: 'Reminds of an appointment; uses the custom attribute appointment_at when the lead has it.',
    subject: 'Reminder: your appointment{% if lead.appointment_at %} on {{ lead.appointment_at }}{% endif %}',
    text: `Hi ${FIRST_NAME},

This is a reminder of your upcoming appointment{% if lead.appointment_at %} on {{ lead.appointment_at }}{% endif %}. If you need to change it, just reply to this email.

See you soon!`,
  },
  {
    id: 'starter-promotion-email',
    name: 'Offer announcement email',
    channel: 'email',
    category: 'promotion',
    description: 'Announces an offer; the plan attribute personalises the line when the lead has one.',
    subject: '{{ lead.first_name | default: "Hello" }}, an offer for you',
    html: `<p>Hi ${FIRST_NAME},</p>
<p>{% if lead.plan %}As a {{ lead.plan }} customer, you{% else %}You{% endif %} can get 20% off this month. Reply to this email and we'll set it up for you.</p>
${FOOTER_HTML}`,
  },
  {
    id: 'starter-welcome-sms',
    name: 'Welcome SMS',
    channel: 'sms',
    category: 'welcome',
    description: 'A one-segment welcome text with the opt-out wording carriers expect.',
    body: `Hi ${FIRST_NAME}, thanks for signing up! Reply here any time with questions. Reply STOP to opt out.`,
  },
  {
    id: 'starter-follow-up-sms',
    name: 'Follow-up SMS',
    channel: 'sms',
    category: 'follow_up',
    description: 'A short text after an unanswered email (a sequence step a few days later).',
    body: `Hi ${FIRST_NAME}, just checking you saw my email. Is a quick call this week useful? Reply STOP to opt out.`,
  },
  {
    id: 'starter-appointment-reminder-sms',
    name: 'Appointment reminder SMS',
    channel: 'sms',
    category: 'appointment_reminder',
    description: 'Uses the custom attribute appointment_at when the lead has it; replies come to the inbox.',
    body: `Hi ${FIRST_NAME}, a reminder of your appointment{% if lead.appointment_at %} on {{ lead.appointment_at }}{% endif %}. Reply C to confirm or R to reschedule.`,
  },
  {
    id: 'starter-appointment-reminder-whatsapp',
    name: 'Appointment reminder (WhatsApp, utility)',
    channel: 'whatsapp',
    category: 'utility',
    description:
      'Needs an approved utility template named appointment_reminder (en_US) in your WhatsApp Business Account, with two body placeholders: the name and the appointment time.',
    whatsapp: {
      name: 'appointment_reminder',
      language: 'en_US',
      parameters: [FIRST_NAME, '{{ lead.appointment_at | default: "your booked time" }}'],
    },
  },
  {
    id: 'starter-order-update-whatsapp',
    name: 'Order update (WhatsApp, utility)',
    channel: 'whatsapp',
    category: 'utility',
    description:
      'Needs an approved utility template named order_update (en_US) with two body placeholders: the name and the order number (custom attribute order_number).',
    whatsapp: {
      name: 'order_update',
      language: 'en_US',
      parameters: [FIRST_NAME, '{{ lead.order_number | default: "your order" }}'],
    },
  },
  {
    id: 'starter-appointment-reminder-voice',
    name: 'Appointment reminder call',
    channel: 'voice',
    category: 'appointment_reminder',
    description: 'A short text-to-speech reminder call; uses appointment_at when the lead has it.',
    voice: {
      mode: 'say',
      script: `Hello ${FIRST_NAME}. This is a reminder of your appointment{% if lead.appointment_at %} on {{ lead.appointment_at }}{% endif %}. If you need to change it, please call us back. Goodbye.`,
      language: 'en-US',
    },
  },
];

const BY_ID = new Map(STARTER_TEMPLATES.map((s) => [s.id, s]));

export function findStarter(id: string): StarterTemplate | undefined {
  return BY_ID.get(id as StarterTemplate['id']);
}
