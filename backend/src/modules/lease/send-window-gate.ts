import { nextSendTime, recipientZones, type SendWindow } from '../campaigns/send-window';

/**
 * One lease's view of a campaign's send window at `now`: for a candidate, when its window opens, or
 * undefined when it may go now. Leads of the same zones share the answer (a lease of 1,000 US numbers
 * computes the 29 US zones once, not 1,000 times).
 */
export function sendWindowGate(
  window: SendWindow,
  now: Date,
): (lead: { timezone: string | null; phone: string | null }) => Date | undefined {
  const byZones = new Map<string, Date | undefined>();
  return (lead) => {
    const zones = recipientZones(lead, window.timezone);
    const key = zones.join(' ');
    if (!byZones.has(key)) {
      const at = nextSendTime(window, zones, now);
      byZones.set(key, at.getTime() > now.getTime() ? at : undefined);
    }
    return byZones.get(key);
  };
}
