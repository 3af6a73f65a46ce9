import type { Campaign, CampaignStep, ProgressSnapshot, StatusCounts } from '../types';

/** Messages that reached an outcome: nothing more will happen to them. */
export function settled(counts: StatusCounts): number {
  return counts.sent + counts.delivered + counts.failed + counts.unknown + counts.skipped;
}

/** What the progress bar is out of: the messages enrolled, or the audience while enrollment is still running. */
export function progressTotal(p: Pick<ProgressSnapshot, 'counts' | 'audienceSize' | 'materialized'>): number {
  return p.materialized ? p.counts.total : Math.max(p.counts.total, p.audienceSize);
}

const CHANNEL_NAMES: Record<CampaignStep['channel'], string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp', voice: 'Voice' };
export const channelName = (c: CampaignStep['channel']) => CHANNEL_NAMES[c] ?? c;

/** The distinct channels of a campaign's steps, in step order: "SMS", "Email → SMS". */
export function stepChannels(c: Pick<Campaign, 'steps'>): string {
  return [...new Set(c.steps.map((s) => channelName(s.channel)))].join(' → ');
}

/** The campaign's type in words: "Blast", "Sequence of 3 steps", "Triggered by “signup” · 2 steps". */
export function campaignKind(c: Pick<Campaign, 'type' | 'steps' | 'trigger'>): string {
  const steps = `${c.steps.length} step${c.steps.length === 1 ? '' : 's'}`;
  if (c.type === 'triggered') return c.trigger ? `Triggered by “${c.trigger.event}” · ${steps}` : `Triggered · ${steps}`;
  return c.type === 'sequence' ? `Sequence of ${steps}` : 'Blast';
}
