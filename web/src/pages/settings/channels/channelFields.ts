import type { Channel } from '../../../api';

/**
 * What each channel type asks for, mirroring backend/src/modules/channels/channels.dto.ts (the API checks
 * it again and answers per-field problems). Secrets are write-only: the API never answers them back.
 */
export interface ChannelField {
  key: string;
  label: string;
  hint?: string;
  required?: boolean;
  kind?: 'text' | 'number' | 'select';
  options?: Array<{ value: string; label: string }>;
  placeholder?: string;
  /** Rarely changed: shown under "Advanced". */
  advanced?: boolean;
}

export interface ChannelTypeSpec {
  label: string;
  /** Where the provider shows these values. */
  intro: string;
  config: ChannelField[];
  secrets: ChannelField[];
}

const RATE_FIELDS: ChannelField[] = [
  {
    key: 'ratePerSecond',
    label: 'Messages per second',
    kind: 'number',
    hint: 'The sender’s own limit; campaigns can only go slower. Empty: the provider default.',
    advanced: true,
  },
  {
    key: 'dailyCap',
    label: 'Daily cap',
    kind: 'number',
    hint: 'At most this many messages per rolling 24 hours. Empty: no cap.',
    advanced: true,
  },
  {
    key: 'baseUrl',
    label: 'API base URL',
    hint: 'Only to reach a regional endpoint, a proxy or a sandbox; allowed by the server’s CUSTOM_PROVIDER_URLS. Empty: the provider’s API.',
    placeholder: 'https://…',
    advanced: true,
  },
];

export const CHANNEL_TYPES: Record<Channel['type'], ChannelTypeSpec> = {
  twilio: {
    label: 'Twilio',
    intro: 'An SMS / voice number of your Twilio account. The Account SID and Auth Token are on the Twilio Console home page.',
    config: [
      { key: 'accountSid', label: 'Account SID', required: true, placeholder: 'AC…', hint: 'AC followed by 32 hex digits.' },
      { key: 'from', label: 'From number', placeholder: '+14155550123', hint: 'E.164. Or give a Messaging Service SID instead.' },
      { key: 'messagingServiceSid', label: 'Messaging Service SID', placeholder: 'MG…', hint: 'Optional: MG followed by 32 hex digits.' },
      { key: 'maxConcurrentCalls', label: 'Calls at once (voice)', kind: 'number', advanced: true },
      { key: 'callDelaySeconds', label: 'Seconds between call starts (voice)', kind: 'number', advanced: true },
      {
        key: 'callsPerSecond',
        label: 'Calls per second of the account (voice)',
        kind: 'number',
        advanced: true,
        hint: 'Twilio allows 1 unless your account was raised; shared by the account’s numbers.',
      },
      {
        key: 'agentProvider',
        label: 'AI agent provider (voice)',
        kind: 'select',
        advanced: true,
        options: [
          { value: 'elevenlabs', label: 'ElevenLabs Conversational AI' },
          { value: 'openai_realtime', label: 'OpenAI Realtime' },
        ],
        hint: 'Who runs the agent of agent-mode calls; told to the agent as the stream parameter agentProvider.',
      },
      ...RATE_FIELDS,
    ],
    secrets: [{ key: 'authToken', label: 'Auth Token', required: true }],
  },
  mailgun: {
    label: 'Mailgun',
    intro: 'A sending domain verified in Mailgun. The API key and the webhook signing key are under Mailgun → Settings → API security.',
    config: [
      { key: 'domain', label: 'Sending domain', required: true, placeholder: 'mg.example.com' },
      { key: 'from', label: 'From', required: true, placeholder: 'Acme <hello@mg.example.com>' },
      {
        key: 'region',
        label: 'Region',
        kind: 'select',
        options: [
          { value: 'us', label: 'US (api.mailgun.net)' },
          { value: 'eu', label: 'EU (api.eu.mailgun.net)' },
        ],
      },
      ...RATE_FIELDS,
    ],
    secrets: [
      { key: 'apiKey', label: 'API key', required: true },
      { key: 'webhookSigningKey', label: 'Webhook signing key', required: true, hint: 'Cadence checks every Mailgun event with it.' },
    ],
  },
  whatsapp: {
    label: 'WhatsApp',
    intro: 'A WhatsApp Business number of the Cloud API. The ids and tokens are in your Meta app → WhatsApp → API setup.',
    config: [
      { key: 'phoneNumberId', label: 'Phone number ID', required: true, hint: 'The numeric id Meta shows for the number.' },
      { key: 'businessAccountId', label: 'WhatsApp Business Account ID', hint: 'Optional, numeric.' },
      { key: 'apiVersion', label: 'Graph API version', placeholder: 'v21.0', advanced: true },
      ...RATE_FIELDS,
    ],
    secrets: [
      { key: 'accessToken', label: 'Access token', required: true, hint: 'A permanent token of a system user.' },
      { key: 'appSecret', label: 'App secret', required: true, hint: 'Cadence checks every webhook call with it.' },
      {
        key: 'verifyToken',
        label: 'Webhook verify token',
        hint: 'Any string you choose: type the same in Meta’s webhook settings so Meta can verify the callback URL.',
      },
    ],
  },
};

/** What the webhook URLs answered by the API are for, per type and key, and where to paste them. */
export const WEBHOOK_LABELS: Record<string, { label: string; hint: string }> = {
  'twilio.inbound': {
    label: 'Incoming messages URL',
    hint: 'Twilio Console → Phone Numbers → this number → Messaging → “A message comes in” (HTTP POST): replies and STOP reach Cadence.',
  },
  'twilio.voice': {
    label: 'Incoming calls URL',
    hint: 'Twilio Console → Phone Numbers → this number → Voice → “A call comes in” (HTTP POST): the caller hears a greeting and the missed call becomes a callback request.',
  },
  'twilio.status': {
    label: 'Status callback URL',
    hint: 'Sent with every message Cadence sends, so there is nothing to paste for campaigns; use it for messages sent elsewhere.',
  },
  'mailgun.events': {
    label: 'Events webhook URL',
    hint: 'Mailgun → Sending → Webhooks: add it for delivered, permanent failure, temporary failure, opened, clicked, complained and unsubscribed.',
  },
  'mailgun.inbound': {
    label: 'Inbound route URL',
    hint: '“Receive replies” creates it for you; by hand: Mailgun → Receiving → Create route, match the reply address (match_recipient) and forward() to this URL, so replies, out-of-office answers and bounces reach Cadence.',
  },
  'whatsapp.callback': {
    label: 'Callback URL',
    hint: 'Meta app → WhatsApp → Configuration → Webhook: this URL with the verify token set here, then subscribe to “messages”.',
  },
};
