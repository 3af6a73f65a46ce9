import { formatDateTime, formatNumber } from '../../format';
import { describeSendWindow, outsideTcpaHours, TCPA_REASON, textsOrCalls } from './send-window';
import type { CampaignSettings, CampaignType, StepChannel } from './types';

export interface TimingLine {
  key: 'sendWindow' | 'law' | 'startAt' | 'ratePerSecond' | 'dailyCap';
  label: string;
  text: string;
}

/**
 * When and how fast a campaign sends, in words, one line each: the send window always (it applies to every channel),
 * what US law allows when the campaign texts or calls at other hours, and with `pace` the start and the limits that
 * are set. Pure, so the text is easy to check.
 */
export function describeTiming(
  s: CampaignSettings,
  { channels, type, pace }: { channels: StepChannel[]; type: CampaignType; pace: boolean },
): TimingLine[] {
  const lines: TimingLine[] = [{ key: 'sendWindow', label: 'Send window', text: describeSendWindow(s.sendWindow) }];
  if (textsOrCalls(channels) && outsideTcpaHours(s.sendWindow))
    lines.push({
      key: 'law',
      label: 'Texts and calls',
      text: `${TCPA_REASON}; ${s.sendWindow ? 'this window texts or calls US numbers outside those hours' : 'without a window, US numbers may be texted or called at any hour'}`,
    });
  if (!pace) return lines;
  if (type !== 'triggered') lines.push({ key: 'startAt', label: 'Starts', text: s.startAt ? formatDateTime(s.startAt) : 'At launch' });
  if (s.ratePerSecond !== undefined)
    lines.push({ key: 'ratePerSecond', label: 'Rate', text: `At most ${formatNumber(s.ratePerSecond)} messages a second` });
  if (s.dailyCap !== undefined)
    lines.push({ key: 'dailyCap', label: 'Daily cap', text: `At most ${formatNumber(s.dailyCap)} messages in 24 hours` });
  return lines;
}
