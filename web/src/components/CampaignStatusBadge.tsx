import type { CampaignStatus, MessageStatus } from '../pages/campaigns/types';

const CAMPAIGN: Record<CampaignStatus, { label: string; tone: 'ok' | 'warn' | 'muted' | 'error' | 'primary' }> = {
  draft: { label: 'Draft', tone: 'muted' },
  scheduled: { label: 'Scheduled', tone: 'primary' },
  active: { label: 'Sending', tone: 'primary' },
  paused: { label: 'Paused', tone: 'warn' },
  completed: { label: 'Completed', tone: 'ok' },
  cancelled: { label: 'Cancelled', tone: 'error' },
};

const MESSAGE: Record<MessageStatus, { label: string; tone: 'ok' | 'warn' | 'muted' | 'error' | 'primary' }> = {
  queued: { label: 'Queued', tone: 'muted' },
  leased: { label: 'Leased', tone: 'muted' },
  sending: { label: 'Sending', tone: 'primary' },
  sent: { label: 'Sent', tone: 'primary' },
  delivered: { label: 'Delivered', tone: 'ok' },
  failed: { label: 'Failed', tone: 'error' },
  unknown: { label: 'Unknown', tone: 'warn' },
  skipped: { label: 'Skipped', tone: 'muted' },
};

/** An active triggered campaign sends only when an event enrolls someone: it is enrolling, not sending. */
const ENROLLING = { label: 'Enrolling', tone: 'primary' } as const;

/** A campaign's status as text and colour (never colour alone). */
export function CampaignStatusBadge({ status, triggered = false }: { status: CampaignStatus; triggered?: boolean }) {
  const s = triggered && status === 'active' ? ENROLLING : (CAMPAIGN[status] ?? { label: status, tone: 'muted' });
  return (
    <span className={`badge badge-${s.tone}`} data-status={status}>
      <span className="dot" aria-hidden="true" />
      {s.label}
    </span>
  );
}

/** A message's status as text and colour. */
export function MessageStatusBadge({ status }: { status: MessageStatus }) {
  const s = MESSAGE[status] ?? { label: status, tone: 'muted' };
  return (
    <span className={`badge badge-${s.tone}`} data-status={status}>
      {s.label}
    </span>
  );
}

export const messageStatusLabel = (status: MessageStatus) => MESSAGE[status]?.label ?? status;
export const campaignStatusLabel = (status: CampaignStatus) => CAMPAIGN[status]?.label ?? status;
