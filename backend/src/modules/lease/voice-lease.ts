import type { LeaseCallbacks } from '@cadence/contracts';
import type { Campaign } from '../campaigns/campaign.entity';
import type { Template } from '../templates/template.entity';
import { campaignCallsKey, type CallLimit } from '../quota/call-slots';
import type { QuotaKey } from '../quota/quota-ledger';
import type { ResolvedSender } from './sender-resolver';

/** How long a lease with no free call slot asks n8n to wait: about the time a ringing call takes to end. */
export const CALL_SLOT_WAIT_MS = 500;
/** Twilio's default outbound calls per second per account, unless the channel says its account has more. */
export const TWILIO_DEFAULT_CALLS_PER_SECOND = 1;

const positive = (v: unknown): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);

function placesCalls(sender: ResolvedSender, channels: string[]): boolean {
  return sender.kind === 'twilio' && channels.includes('voice');
}

/**
 * The concurrency limits a voice lease takes slots under: the campaign's `maxConcurrentCalls` and the
 * number's (the channel's `maxConcurrentCalls`), as `call_slots` keys `calls:campaign:<id>` and
 * `calls:number:<channelId>`. Held in PostgreSQL (`call_slots`), so they hold across
 * shards, n8n workers and backend instances.
 */
export function callLimits(campaign: Campaign, sender: ResolvedSender, channels: string[]): CallLimit[] {
  if (!placesCalls(sender, channels)) return [];
  // Every voice campaign holds a slot per live call (without a maximum of its own, an unbounded one): the
  // campaign is not done while a call may still end unanswered and be placed again.
  const limits: CallLimit[] = [
    {
      key: campaignCallsKey(campaign.id),
      organizationId: campaign.organizationId,
      max: positive(campaign.settings.maxConcurrentCalls) ?? Number.MAX_SAFE_INTEGER,
    },
  ];
  const number = positive(sender.config.maxConcurrentCalls);
  if (number && sender.channelId)
    limits.push({ key: `calls:number:${sender.channelId}`, organizationId: campaign.organizationId, max: number });
  return limits;
}

/**
 * Call pacing as quota ledgers (GCRA): `callDelaySeconds` between two call starts on a number (the
 * campaign's, else the channel's), and the Twilio account's calls per second, shared by all its numbers.
 */
export function callPacingKeys(campaign: Campaign, sender: ResolvedSender, channels: string[]): QuotaKey[] {
  if (!placesCalls(sender, channels)) return [];
  const keys: QuotaKey[] = [];
  const delay = positive(campaign.settings.callDelaySeconds) ?? positive(sender.config.callDelaySeconds);
  if (delay && sender.channelId)
    keys.push({ key: `call-starts:number:${sender.channelId}`, organizationId: campaign.organizationId, ratePerSecond: 1 / delay });
  const account = typeof sender.config.accountSid === 'string' ? sender.config.accountSid : undefined;
  if (account)
    keys.push({
      key: `call-starts:twilio-account:${account}`,
      organizationId: campaign.organizationId,
      ratePerSecond: positive(sender.config.callsPerSecond) ?? TWILIO_DEFAULT_CALLS_PER_SECOND,
    });
  return keys;
}

/**
 * A call of a campaign with an `answeringMachine` choice is placed with Twilio's answering-machine
 * detection and fetches its TwiML from `twimlUrl` (call-twiml.controller.ts) once Twilio knows who
 * answered. To leave a voicemail Twilio waits for the beep (`DetectMessageEnd`); otherwise it answers as
 * soon as it knows. A call-now bridge connects a person who asked for the call: never screened.
 */
export function answeringMachineDetection(
  campaign: Campaign,
  template: Pick<Template, 'voice'>,
  twimlUrl: string,
): Pick<LeaseCallbacks, 'twimlUrl' | 'machineDetection'> {
  const choice = campaign.settings.answeringMachine;
  if (!choice || template.voice?.mode === 'bridge') return {};
  return { twimlUrl, machineDetection: choice === 'voicemail' ? 'DetectMessageEnd' : 'Enable' };
}
