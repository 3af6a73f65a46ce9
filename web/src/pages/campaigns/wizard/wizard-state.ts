import type { Audience, Campaign, CampaignSettings, LeadFilter, Sender, StepChannel } from '../types';

/** A sender as a select value: `channel:<id>` or `gmail:<id>` ('' = not chosen). */
export type SenderChoice = string;

export interface StepDraft {
  /** Stable React key across reorders. */
  key: string;
  channel: StepChannel;
  sender: SenderChoice;
  templateId: string;
  delayDays: string;
  delayHours: string;
  /** Steps after the first: send only to leads who have not replied. */
  noReply: boolean;
}

export type AudienceKind = 'all' | 'filter' | 'leads' | 'csv';
export type ConsentChoice = '' | 'true' | 'false';

export interface FilterDraft {
  search: string;
  consent: Partial<Record<StepChannel, ConsentChoice>>;
  attributeKey: string;
  attributeValue: string;
  createdAfter: string;
  createdBefore: string;
}

export interface CsvAudience {
  fileName: string;
  leadIds: string[];
  rows: number;
  created: number;
  updated: number;
  failed: number;
}

export interface WizardState {
  name: string;
  type: 'blast' | 'sequence';
  steps: StepDraft[];
  audienceKind: AudienceKind;
  filter: FilterDraft;
  /** Chosen leads: id → label shown in the list. */
  chosen: Record<string, string>;
  csv: CsvAudience | null;
  settings: {
    ratePerSecond: string;
    dailyCap: string;
    concurrency: string;
    startAt: string;
    stopOnReply: 'all_campaigns' | 'this_campaign';
    onReply: 'nothing' | 'callback';
    onNoAnswer: 'nothing' | 'callback';
    maxConcurrentCalls: string;
    callDelaySeconds: string;
    retryCount: string;
    retryDelaySeconds: string;
  };
}

export const CHANNELS: StepChannel[] = ['email', 'sms', 'whatsapp', 'voice'];
export const CHANNEL_NAMES: Record<StepChannel, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp', voice: 'Voice call' };
/** campaigns.dto.ts: a sequence has at most 20 steps. */
export const MAX_STEPS = 20;
/** campaigns.dto.ts CampaignSettingsDto. */
export const LIMITS = {
  ratePerSecond: { min: 0.001, max: 100_000 },
  dailyCap: { min: 1, max: 10_000_000 },
  concurrency: { min: 1, max: 200 },
  maxConcurrentCalls: { min: 1, max: 1000 },
  callDelaySeconds: { min: 0, max: 3600 },
  retryCount: { min: 0, max: 10 },
  retryDelaySeconds: { min: 0, max: 604_800 },
} as const;

/** The settings that only voice steps use. */
export const VOICE_SETTINGS = ['maxConcurrentCalls', 'callDelaySeconds', 'retryCount', 'retryDelaySeconds'] as const;

let keys = 0;
export const newStep = (channel: StepChannel = 'email', sender: SenderChoice = ''): StepDraft => ({
  key: `s${++keys}`,
  channel,
  sender,
  templateId: '',
  delayDays: '0',
  delayHours: '0',
  noReply: false,
});

export const initialState = (): WizardState => ({
  name: '',
  type: 'blast',
  steps: [newStep()],
  audienceKind: 'all',
  filter: { search: '', consent: {}, attributeKey: '', attributeValue: '', createdAfter: '', createdBefore: '' },
  chosen: {},
  csv: null,
  settings: {
    ratePerSecond: '',
    dailyCap: '',
    concurrency: '',
    startAt: '',
    stopOnReply: 'all_campaigns',
    onReply: 'nothing',
    onNoAnswer: 'nothing',
    maxConcurrentCalls: '',
    callDelaySeconds: '',
    retryCount: '',
    retryDelaySeconds: '',
  },
});

export function senderOf(choice: SenderChoice): Sender | undefined {
  const [kind, id] = choice.split(':');
  if (!id) return undefined;
  return kind === 'gmail' ? { emailAccountId: id } : { channelId: id };
}

export function choiceOf(sender: Sender | undefined): SenderChoice {
  if (!sender) return '';
  return 'channelId' in sender ? `channel:${sender.channelId}` : `gmail:${sender.emailAccountId}`;
}

export function delaySeconds(step: StepDraft): number {
  return Math.round((Number(step.delayDays) || 0) * 86_400 + (Number(step.delayHours) || 0) * 3600);
}

export function filterOf(f: FilterDraft): LeadFilter {
  const filter: LeadFilter = {};
  if (f.search.trim()) filter.search = f.search.trim();
  const consent = Object.fromEntries(Object.entries(f.consent).filter(([, v]) => v)) as Record<string, ConsentChoice>;
  if (Object.keys(consent).length) filter.consent = Object.fromEntries(Object.entries(consent).map(([k, v]) => [k, v === 'true']));
  if (f.attributeKey.trim()) filter.attributes = { [f.attributeKey.trim()]: f.attributeValue };
  if (f.createdAfter) filter.createdAfter = new Date(f.createdAfter).toISOString();
  if (f.createdBefore) filter.createdBefore = new Date(f.createdBefore).toISOString();
  return filter;
}

export function audienceOf(s: WizardState): Audience | undefined {
  if (s.audienceKind === 'all') return { all: true };
  if (s.audienceKind === 'filter') return { filter: filterOf(s.filter) };
  const ids = s.audienceKind === 'leads' ? Object.keys(s.chosen) : (s.csv?.leadIds ?? []);
  return ids.length ? { leadIds: ids } : undefined;
}

export function settingsOf(s: WizardState['settings']): CampaignSettings {
  const out: CampaignSettings = {};
  if (s.ratePerSecond !== '') out.ratePerSecond = Number(s.ratePerSecond);
  if (s.dailyCap !== '') out.dailyCap = Number(s.dailyCap);
  if (s.concurrency !== '') out.concurrency = Number(s.concurrency);
  if (s.startAt) out.startAt = new Date(s.startAt).toISOString();
  // The default (all campaigns) is left out, like the other unset settings.
  if (s.stopOnReply === 'this_campaign') out.stopOnReply = 'this_campaign';
  if (s.onReply === 'callback') out.onReply = 'callback';
  if (s.onNoAnswer === 'callback') out.onNoAnswer = 'callback';
  for (const key of VOICE_SETTINGS) if (s[key] !== '') out[key] = Number(s[key]);
  return out;
}

/** The body of POST / PATCH /campaigns: the first step's sender is the campaign's; a later step names its own only when it differs. */
export function campaignInput(s: WizardState) {
  const main = s.steps[0]?.sender ?? '';
  return {
    name: s.name.trim(),
    type: s.type,
    sender: senderOf(main),
    audience: audienceOf(s),
    steps: s.steps.map((step, i) => ({
      channel: step.channel,
      templateId: step.templateId,
      delaySeconds: delaySeconds(step),
      ...(i > 0 && step.noReply && { condition: { type: 'no_reply' as const } }),
      ...(step.sender !== main && step.sender && { sender: senderOf(step.sender) }),
    })),
    settings: settingsOf(s.settings),
  };
}

/** The body of POST /campaigns/audience-preview for the state as it is (senders only once chosen). */
export function previewInput(s: WizardState, withPace: boolean) {
  const main = senderOf(s.steps[0]?.sender ?? '');
  return {
    ...(withPace && main && { sender: main }),
    audience: audienceOf(s),
    steps: s.steps.map((step) => ({
      channel: step.channel,
      ...(withPace && { delaySeconds: delaySeconds(step) }),
      ...(withPace && senderOf(step.sender) && { sender: senderOf(step.sender) }),
    })),
    ...(withPace && { settings: settingsOf(s.settings) }),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO time as a datetime-local value in the browser's time zone. */
export function localInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A saved draft back into the wizard. */
export function stateFromCampaign(c: Campaign): WizardState {
  const base = initialState();
  const main = choiceOf(c.sender);
  const audience = c.audience;
  const f = 'filter' in audience ? audience.filter : {};
  const firstAttribute = Object.entries(f.attributes ?? {})[0];
  return {
    ...base,
    name: c.name,
    type: c.type,
    steps: c.steps.map((step) => ({
      ...newStep(step.channel, step.sender ? choiceOf(step.sender) : main),
      templateId: step.templateId,
      delayDays: String(Math.floor(step.delaySeconds / 86_400)),
      delayHours: String(Math.round(((step.delaySeconds % 86_400) / 3600) * 100) / 100),
      noReply: step.condition?.type === 'no_reply',
    })),
    audienceKind: 'all' in audience ? 'all' : 'filter' in audience ? 'filter' : 'leads',
    filter: {
      search: f.search ?? '',
      consent: Object.fromEntries(Object.entries(f.consent ?? {}).map(([k, v]) => [k, v ? 'true' : 'false'])),
      attributeKey: firstAttribute?.[0] ?? '',
      attributeValue: firstAttribute ? String(firstAttribute[1]) : '',
      createdAfter: localInput(f.createdAfter),
      createdBefore: localInput(f.createdBefore),
    },
    chosen: 'leadIds' in audience ? Object.fromEntries(audience.leadIds.map((id) => [id, id])) : {},
    settings: {
      ratePerSecond: c.settings.ratePerSecond?.toString() ?? '',
      dailyCap: c.settings.dailyCap?.toString() ?? '',
      concurrency: c.settings.concurrency?.toString() ?? '',
      startAt: localInput(c.settings.startAt),
      stopOnReply: c.settings.stopOnReply ?? 'all_campaigns',
      onReply: c.settings.onReply ?? 'nothing',
      onNoAnswer: c.settings.onNoAnswer ?? 'nothing',
      maxConcurrentCalls: c.settings.maxConcurrentCalls?.toString() ?? '',
      callDelaySeconds: c.settings.callDelaySeconds?.toString() ?? '',
      retryCount: c.settings.retryCount?.toString() ?? '',
      retryDelaySeconds: c.settings.retryDelaySeconds?.toString() ?? '',
    },
  };
}

function inRange(value: string, label: string, { min, max }: { min: number; max: number }, integer: boolean): string | undefined {
  if (value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
    return `${label} must be ${integer ? 'a whole number' : 'a number'} from ${min.toLocaleString()} to ${max.toLocaleString()}`;
  return undefined;
}

/** What keeps the user on a wizard step, per field; empty when the step is complete. */
export function problemsOf(s: WizardState, step: number): Record<string, string> {
  const p: Record<string, string> = {};
  if (step === 0) {
    if (!s.name.trim()) p.name = 'Give the campaign a name';
    else if (s.name.trim().length > 200) p.name = 'At most 200 characters';
  }
  if (step === 1) {
    if (s.type === 'blast' && s.steps.length !== 1) p.steps = 'A blast has exactly one step';
    s.steps.forEach((st, i) => {
      if (!st.sender) p[`sender-${i}`] = 'Choose who sends this step';
      if (!st.templateId) p[`template-${i}`] = 'Choose a template';
      const d = delaySeconds(st);
      if (Number(st.delayDays) < 0 || Number(st.delayHours) < 0 || d > 31_536_000) p[`delay-${i}`] = 'From 0 up to a year';
    });
  }
  if (step === 2) {
    if (s.audienceKind === 'leads' && Object.keys(s.chosen).length === 0) p.audience = 'Pick at least one lead';
    if (s.audienceKind === 'csv' && !s.csv?.leadIds.length) p.audience = 'Upload a CSV with at least one valid lead';
  }
  if (step === 3) {
    const rate = inRange(s.settings.ratePerSecond, 'Rate', LIMITS.ratePerSecond, false);
    const cap = inRange(s.settings.dailyCap, 'Daily cap', LIMITS.dailyCap, true);
    const conc = inRange(s.settings.concurrency, 'Concurrency', LIMITS.concurrency, true);
    if (rate) p.ratePerSecond = rate;
    if (cap) p.dailyCap = cap;
    if (conc) p.concurrency = conc;
    const voiceLabels = {
      maxConcurrentCalls: 'Calls at once',
      callDelaySeconds: 'Seconds between calls',
      retryCount: 'Call again',
      retryDelaySeconds: 'Wait before calling again',
    };
    for (const key of VOICE_SETTINGS) {
      const problem = inRange(s.settings[key], voiceLabels[key], LIMITS[key], true);
      if (problem) p[key] = problem;
    }
    if (s.settings.startAt && Number.isNaN(Date.parse(s.settings.startAt))) p.startAt = 'Not a valid date and time';
  }
  return p;
}
