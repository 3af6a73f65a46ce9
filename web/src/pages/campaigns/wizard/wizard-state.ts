import { EVENT_NAME, EVENT_NAME_MAX } from '../../events/types';
import type {
  AnsweringMachine,
  Audience,
  Campaign,
  CampaignSettings,
  CampaignTrigger,
  CampaignType,
  ConditionOperator,
  LeadFilter,
  Sender,
  StepChannel,
  TriggerCondition,
} from '../types';
import { browserTimeZone, EVERY_DAY, isTimeZone, parseTime, TCPA_HOURS, textsOrCalls } from '../send-window';
import { AbTestDraft, initialAbTest, VariantDraft, variantProblems, variantsDraft, variantsInput } from './variants';

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
  /** An A/B test: empty for one template; else 2 to 5 rows, the first being the step's template (variant A). */
  variants: VariantDraft[];
  abTest: AbTestDraft;
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

/** How a condition's value is sent: a string, a number or a boolean. */
export type ValueKind = 'text' | 'number' | 'boolean';

export interface ConditionDraft {
  key: string;
  property: string;
  operator: ConditionOperator;
  valueKind: ValueKind;
  value: string;
}

export interface ExitDraft {
  key: string;
  event: string;
  conditions: ConditionDraft[];
}

export type ReentryUnit = 'minutes' | 'hours' | 'days';

/** A triggered campaign's trigger and frequency cap as the form holds them (strings while typed). */
export interface TriggerDraft {
  event: string;
  conditions: ConditionDraft[];
  reentry: 'never' | 'after_exit';
  /** The minimum time between two entries of a lead (with after_exit); empty: none. */
  reentryAfter: string;
  reentryAfterUnit: ReentryUnit;
  exitOn: ExitDraft[];
  /** Frequency cap; both empty: none. */
  capLimit: string;
  capPeriodHours: string;
}

/** The send window as the form holds it (times as typed). */
export interface SendWindowDraft {
  /**
   * null until the user chooses: then it is on exactly when a step texts or calls (the TCPA hours proposed), so
   * the proposal follows the steps while they change; true / false once the toggle is used or a campaign is loaded.
   */
  enabled: boolean | null;
  days: number[];
  start: string;
  end: string;
  /** For leads whose zone is unknown; '' = UTC (the API's default, the setting left out). */
  timezone: string;
}

export interface WizardState {
  name: string;
  type: CampaignType;
  trigger: TriggerDraft;
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
    /** '' = no detection (the setting left out). */
    answeringMachine: AnsweringMachine | '';
    /** Kept while another choice is shown, so going back to "Leave a voicemail" does not lose it; sent only with it. */
    voicemailScript: string;
    sendWindow: SendWindowDraft;
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
/** campaigns.dto.ts: `voicemailScript` is at most 2,000 characters. */
export const VOICEMAIL_SCRIPT_MAX = 2000;

/** TRIGGERS-SPEC (backend trigger.dto.ts): at most 10 conditions per trigger or exit event, 5 exit events, 200 characters per property path, 500 per text value. */
export const TRIGGER_LIMITS = { conditions: 10, exitOn: 5, property: 200, value: 500 } as const;
/** The frequency cap's bounds (backend FrequencyCapDto). */
export const CAP_LIMITS = { limit: { min: 1, max: 1000 }, periodHours: { min: 1, max: 8760 } } as const;
export const UNIT_SECONDS: Record<ReentryUnit, number> = { minutes: 60, hours: 3600, days: 86_400 };
/** Operators whose value is a number / that take no value. */
export const NUMERIC_OPERATORS: ConditionOperator[] = ['greater_than', 'less_than'];
export const VALUELESS_OPERATORS: ConditionOperator[] = ['exists', 'not_exists'];

/** The settings that only voice steps use. */
export const VOICE_SETTINGS = ['maxConcurrentCalls', 'callDelaySeconds', 'retryCount', 'retryDelaySeconds'] as const;

/** A new campaign's window: every day in the TCPA hours, the browser's zone for leads without one. */
export const initialSendWindow = (): SendWindowDraft => ({
  enabled: null,
  days: [...EVERY_DAY],
  ...TCPA_HOURS,
  timezone: browserTimeZone(),
});

/** Whether a step texts or calls: a new campaign then proposes the TCPA hours. */
export const textsOrCallsLeads = (s: Pick<WizardState, 'steps'>) => textsOrCalls(s.steps.map((step) => step.channel));

/** Whether the campaign is sent only during set hours: the user's choice, else the proposal. */
export const sendWindowOn = (s: Pick<WizardState, 'steps' | 'settings'>) => s.settings.sendWindow.enabled ?? textsOrCallsLeads(s);

/** Whether a step places calls: only then are the voice settings shown. */
export const placesCalls = (s: Pick<WizardState, 'steps'>) => s.steps.some((step) => step.channel === 'voice');

let keys = 0;
export const newStep = (channel: StepChannel = 'email', sender: SenderChoice = ''): StepDraft => ({
  key: `s${++keys}`,
  channel,
  sender,
  templateId: '',
  delayDays: '0',
  delayHours: '0',
  noReply: false,
  variants: [],
  abTest: initialAbTest(channel),
});

export const newCondition = (): ConditionDraft => ({ key: `c${++keys}`, property: '', operator: 'equals', valueKind: 'text', value: '' });
export const newExit = (): ExitDraft => ({ key: `x${++keys}`, event: '', conditions: [] });
export const initialTrigger = (): TriggerDraft => ({
  event: '',
  conditions: [],
  reentry: 'never',
  reentryAfter: '',
  reentryAfterUnit: 'days',
  exitOn: [],
  capLimit: '',
  capPeriodHours: '',
});

export const initialState = (): WizardState => ({
  name: '',
  type: 'blast',
  trigger: initialTrigger(),
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
    answeringMachine: '',
    voicemailScript: '',
    sendWindow: initialSendWindow(),
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

export function conditionOf(c: ConditionDraft): TriggerCondition {
  const property = c.property.trim();
  if (VALUELESS_OPERATORS.includes(c.operator)) return { property, operator: c.operator };
  const kind = NUMERIC_OPERATORS.includes(c.operator) ? 'number' : c.valueKind;
  const value = kind === 'number' ? Number(c.value) : kind === 'boolean' ? c.value === 'true' : c.value;
  return { property, operator: c.operator, value };
}

/** The `trigger` of POST / PATCH /campaigns (a triggered campaign only). */
export function triggerOf(t: TriggerDraft): CampaignTrigger {
  const after = t.reentry === 'after_exit' && t.reentryAfter.trim() !== '' ? Number(t.reentryAfter) * UNIT_SECONDS[t.reentryAfterUnit] : 0;
  return {
    event: t.event.trim(),
    conditions: t.conditions.map(conditionOf),
    reentry: t.reentry,
    ...(after > 0 && { reentryAfterSeconds: Math.round(after) }),
    exitOn: t.exitOn.map((e) => ({ event: e.event.trim(), conditions: e.conditions.map(conditionOf) })),
  };
}

export function settingsOf(s: WizardState['settings'], type: CampaignType = 'blast', trigger?: TriggerDraft): CampaignSettings {
  const out: CampaignSettings = {};
  if (s.ratePerSecond !== '') out.ratePerSecond = Number(s.ratePerSecond);
  if (s.dailyCap !== '') out.dailyCap = Number(s.dailyCap);
  if (s.concurrency !== '') out.concurrency = Number(s.concurrency);
  // A triggered campaign starts listening at launch: no start time.
  if (s.startAt && type !== 'triggered') out.startAt = new Date(s.startAt).toISOString();
  if (type === 'triggered' && trigger && trigger.capLimit !== '' && trigger.capPeriodHours !== '')
    out.frequencyCap = { limit: Number(trigger.capLimit), periodHours: Number(trigger.capPeriodHours) };
  // The default (all campaigns) is left out, like the other unset settings.
  if (s.stopOnReply === 'this_campaign') out.stopOnReply = 'this_campaign';
  if (s.onReply === 'callback') out.onReply = 'callback';
  if (s.onNoAnswer === 'callback') out.onNoAnswer = 'callback';
  for (const key of VOICE_SETTINGS) if (s[key] !== '') out[key] = Number(s[key]);
  return out;
}

/**
 * What a call answered by a machine does, for POST / PATCH /campaigns (the audience preview has no use for it).
 * Left out when no step places calls: the field is hidden then, and a voicemail needs its script.
 */
export function answeringMachineOf(s: WizardState): Pick<CampaignSettings, 'answeringMachine' | 'voicemailScript'> {
  const choice = s.settings.answeringMachine;
  if (choice === '' || !placesCalls(s)) return {};
  return choice === 'voicemail' ? { answeringMachine: choice, voicemailScript: s.settings.voicemailScript } : { answeringMachine: choice };
}

/**
 * The send window for POST / PATCH /campaigns, times as `HH:MM` (as typed when they do not read: the step's own
 * check holds them); left out when off. Not in the audience preview: it moves when messages go, not which go.
 */
export function sendWindowOf(s: Pick<WizardState, 'steps' | 'settings'>): Pick<CampaignSettings, 'sendWindow'> {
  if (!sendWindowOn(s)) return {};
  const w = s.settings.sendWindow;
  const timezone = w.timezone.trim();
  return {
    sendWindow: {
      days: [...w.days].sort((a, b) => a - b),
      start: parseTime(w.start) ?? w.start.trim(),
      end: parseTime(w.end, true) ?? w.end.trim(),
      ...(timezone && { timezone }),
    },
  };
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
      ...variantsInput(step),
    })),
    settings: { ...settingsOf(s.settings, s.type, s.trigger), ...answeringMachineOf(s), ...sendWindowOf(s) },
    ...(s.type === 'triggered' && { trigger: triggerOf(s.trigger) }),
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
    ...(withPace && { settings: settingsOf(s.settings, s.type) }),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO time as a datetime-local value in the browser's time zone. */
export function localInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function conditionDraft(c: TriggerCondition): ConditionDraft {
  const valueKind: ValueKind = typeof c.value === 'number' ? 'number' : typeof c.value === 'boolean' ? 'boolean' : 'text';
  return { ...newCondition(), property: c.property, operator: c.operator, valueKind, value: c.value == null ? '' : String(c.value) };
}

/** A stored trigger back into the form: the minimum time between entries in the largest unit that divides it. */
export function triggerDraft(t: CampaignTrigger | null | undefined, cap: CampaignSettings['frequencyCap']): TriggerDraft {
  const base = initialTrigger();
  const after = t?.reentryAfterSeconds ?? 0;
  const unit: ReentryUnit = after % 86_400 === 0 ? 'days' : after % 3600 === 0 ? 'hours' : 'minutes';
  return {
    ...base,
    event: t?.event ?? '',
    conditions: (t?.conditions ?? []).map(conditionDraft),
    reentry: t?.reentry ?? 'never',
    reentryAfter: after > 0 ? String(after / UNIT_SECONDS[unit]) : '',
    reentryAfterUnit: after > 0 ? unit : base.reentryAfterUnit,
    exitOn: (t?.exitOn ?? []).map((e) => ({ ...newExit(), event: e.event, conditions: (e.conditions ?? []).map(conditionDraft) })),
    capLimit: cap?.limit?.toString() ?? '',
    capPeriodHours: cap?.periodHours?.toString() ?? '',
  };
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
    trigger: triggerDraft(c.trigger, c.settings.frequencyCap),
    steps: c.steps.map((step) => ({
      ...newStep(step.channel, step.sender ? choiceOf(step.sender) : main),
      templateId: step.templateId,
      delayDays: String(Math.floor(step.delaySeconds / 86_400)),
      delayHours: String(Math.round(((step.delaySeconds % 86_400) / 3600) * 100) / 100),
      noReply: step.condition?.type === 'no_reply',
      ...variantsDraft(step),
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
      answeringMachine: c.settings.answeringMachine ?? '',
      voicemailScript: c.settings.voicemailScript ?? '',
      sendWindow: sendWindowDraft(c.settings.sendWindow),
    },
  };
}

/** A saved window back into the form; a campaign saved without one has it off (the TCPA hours ready if turned on). */
function sendWindowDraft(w: CampaignSettings['sendWindow']): SendWindowDraft {
  if (!w) return { ...initialSendWindow(), enabled: false };
  return { enabled: true, days: [...w.days], start: w.start, end: w.end, timezone: w.timezone ?? '' };
}

/** What keeps the send window from being saved, keyed as the API names its fields (`sendWindow.end`). */
function sendWindowProblems(s: WizardState): Record<string, string> {
  if (!sendWindowOn(s)) return {};
  const w = s.settings.sendWindow;
  const p: Record<string, string> = {};
  if (w.days.length === 0) p['sendWindow.days'] = 'Send window: pick at least one day';
  const start = parseTime(w.start);
  const end = parseTime(w.end, true);
  if (!start) p['sendWindow.start'] = 'From: a 24-hour time such as 09:00';
  if (!end) p['sendWindow.end'] = 'Until: a 24-hour time such as 17:00 (24:00 for midnight)';
  else if (start && end <= start)
    p['sendWindow.end'] = 'Until must be after From: the window closes on the day it opens (24:00 for midnight)';
  const zone = w.timezone.trim();
  if (zone && !isTimeZone(zone)) p['sendWindow.timezone'] = 'Not a time zone: choose one from the list, such as America/New_York';
  return p;
}

function inRange(value: string, label: string, { min, max }: { min: number; max: number }, integer: boolean): string | undefined {
  if (value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
    return `${label} must be ${integer ? 'a whole number' : 'a number'} from ${min.toLocaleString()} to ${max.toLocaleString()}`;
  return undefined;
}

function eventNameProblem(name: string): string | undefined {
  const n = name.trim();
  if (!n) return 'Name the event';
  if (n.length > EVENT_NAME_MAX) return `At most ${EVENT_NAME_MAX} characters`;
  if (!EVENT_NAME.test(n)) return 'Letters, digits and _ . : - only, starting with a letter or digit';
  return undefined;
}

function conditionProblems(p: Record<string, string>, prefix: string, conditions: ConditionDraft[]) {
  if (conditions.length > TRIGGER_LIMITS.conditions) p[`${prefix}conditions`] = `At most ${TRIGGER_LIMITS.conditions} conditions`;
  conditions.forEach((c, i) => {
    const property = c.property.trim();
    if (!property) p[`${prefix}property-${i}`] = 'Name the property (a dotted path such as cart.total)';
    else if (property.length > TRIGGER_LIMITS.property) p[`${prefix}property-${i}`] = `At most ${TRIGGER_LIMITS.property} characters`;
    else if (/\s/.test(property) || property.startsWith('.')) p[`${prefix}property-${i}`] = 'A dotted path without spaces (cart.total)';
    if (VALUELESS_OPERATORS.includes(c.operator)) return;
    const kind = NUMERIC_OPERATORS.includes(c.operator) ? 'number' : c.valueKind;
    if (kind === 'text' && c.value.length > TRIGGER_LIMITS.value) p[`${prefix}value-${i}`] = `At most ${TRIGGER_LIMITS.value} characters`;
    if (kind === 'number' && (c.value.trim() === '' || !Number.isFinite(Number(c.value))))
      p[`${prefix}value-${i}`] = 'The value must be a number';
    if (kind === 'boolean' && c.value !== 'true' && c.value !== 'false') p[`${prefix}value-${i}`] = 'Choose true or false';
  });
}

function triggerProblems(t: TriggerDraft): Record<string, string> {
  const p: Record<string, string> = {};
  const event = eventNameProblem(t.event);
  if (event) p.event = event;
  conditionProblems(p, '', t.conditions);
  if (t.reentry === 'after_exit' && t.reentryAfter.trim() !== '') {
    const n = Number(t.reentryAfter);
    if (!Number.isFinite(n) || n < 0 || n * UNIT_SECONDS[t.reentryAfterUnit] > 31_536_000) p.reentryAfter = 'From 0 up to a year';
  }
  if (t.exitOn.length > TRIGGER_LIMITS.exitOn) p.exitOn = `At most ${TRIGGER_LIMITS.exitOn} exit events`;
  t.exitOn.forEach((e, i) => {
    const problem = eventNameProblem(e.event);
    if (problem) p[`exit-${i}-event`] = problem;
    conditionProblems(p, `exit-${i}-`, e.conditions);
  });
  if ((t.capLimit === '') !== (t.capPeriodHours === '')) p.frequencyCap = 'Give both the number of messages and the period, or neither';
  const limit = inRange(t.capLimit, 'Messages per lead', CAP_LIMITS.limit, true);
  const period = inRange(t.capPeriodHours, 'Period (hours)', CAP_LIMITS.periodHours, true);
  if (limit) p.capLimit = limit;
  if (period) p.capPeriodHours = period;
  return p;
}

/** The wizard's steps: a triggered campaign has its Trigger step after the name and type. */
export type WizardStepId = 'name' | 'trigger' | 'steps' | 'audience' | 'settings' | 'review';
export const STEP_TITLES: Record<WizardStepId, string> = {
  name: 'Name & type',
  trigger: 'Trigger',
  steps: 'Steps',
  audience: 'Audience',
  settings: 'Settings',
  review: 'Review',
};
export const wizardSteps = (type: CampaignType): WizardStepId[] =>
  type === 'triggered'
    ? ['name', 'trigger', 'steps', 'audience', 'settings', 'review']
    : ['name', 'steps', 'audience', 'settings', 'review'];

/** What keeps the user on a wizard step, per field; empty when the step is complete. */
export function problemsOf(s: WizardState, step: WizardStepId): Record<string, string> {
  if (step === 'trigger') return s.type === 'triggered' ? triggerProblems(s.trigger) : {};
  const p: Record<string, string> = {};
  if (step === 'name') {
    if (!s.name.trim()) p.name = 'Give the campaign a name';
    else if (s.name.trim().length > 200) p.name = 'At most 200 characters';
  }
  if (step === 'steps') {
    if (s.type === 'blast' && s.steps.length !== 1) p.steps = 'A blast has exactly one step';
    s.steps.forEach((st, i) => {
      if (!st.sender) p[`sender-${i}`] = 'Choose who sends this step';
      if (!st.templateId) p[`template-${i}`] = 'Choose a template';
      const d = delaySeconds(st);
      if (Number(st.delayDays) < 0 || Number(st.delayHours) < 0 || d > 31_536_000) p[`delay-${i}`] = 'From 0 up to a year';
      Object.assign(p, variantProblems(st, i));
    });
  }
  if (step === 'audience') {
    if (s.audienceKind === 'leads' && Object.keys(s.chosen).length === 0) p.audience = 'Pick at least one lead';
    if (s.audienceKind === 'csv' && !s.csv?.leadIds.length) p.audience = 'Upload a CSV with at least one valid lead';
  }
  if (step === 'settings') {
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
    // Only a visible field may hold the step: with no call step the choice is not sent at all.
    if (placesCalls(s) && s.settings.answeringMachine === 'voicemail') {
      const script = s.settings.voicemailScript;
      if (!script.trim()) p.voicemailScript = 'Write the voicemail script (what the machine records after the beep)';
      else if (script.length > VOICEMAIL_SCRIPT_MAX)
        p.voicemailScript = `Voicemail script: at most ${VOICEMAIL_SCRIPT_MAX.toLocaleString()} characters`;
    }
    if (s.type !== 'triggered' && s.settings.startAt && Number.isNaN(Date.parse(s.settings.startAt)))
      p.startAt = 'Not a valid date and time';
    Object.assign(p, sendWindowProblems(s));
  }
  return p;
}
