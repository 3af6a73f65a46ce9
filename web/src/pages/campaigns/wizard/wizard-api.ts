import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ApiError, Channel, EmailAccount, withQuery } from '../../../api';
import type { StepChannel } from '../types';

export interface TemplateSummary {
  id: string;
  name: string;
  channel: StepChannel;
}

export interface StepReview {
  position: number;
  channel: StepChannel;
  eligible: number;
  skipped: Record<string, number>;
  senderRatePerSecond: number | null;
}

/** POST /campaigns/audience-preview (backend campaign-review.service.ts). */
export interface AudienceReview {
  total: number;
  messages: number;
  eligible: number;
  skipped: Record<string, number>;
  perStep: StepReview[];
  ratePerSecond: number | null;
  estimatedSeconds: number | null;
}

export interface SenderOption {
  value: string;
  label: string;
}

/** Which step channels each kind of sender carries (backend campaigns.service.ts SENDER_CHANNELS). */
const CARRIES: Record<Channel['type'], StepChannel[]> = { mailgun: ['email'], twilio: ['sms', 'voice'], whatsapp: ['whatsapp'] };
const TYPE_NAMES: Record<Channel['type'], string> = { mailgun: 'Mailgun', twilio: 'Twilio', whatsapp: 'WhatsApp' };

/** Every sender of the organization, to be filtered per step channel. */
export function useSenders() {
  return useQuery<{ channels: Channel[]; mailboxes: EmailAccount[] }, ApiError>({
    queryKey: ['wizard-senders'],
    queryFn: async () => {
      const [channels, mailboxes] = await Promise.all([
        api<{ items: Channel[] }>('GET', withQuery('/channels', { limit: 100 })),
        api<{ items: EmailAccount[] }>('GET', '/email-accounts'),
      ]);
      return { channels: channels.items, mailboxes: mailboxes.items };
    },
  });
}

export function senderOptions(data: { channels: Channel[]; mailboxes: EmailAccount[] } | undefined, channel: StepChannel): SenderOption[] {
  if (!data) return [];
  const options = data.channels
    .filter((c) => CARRIES[c.type].includes(channel))
    .map((c) => ({ value: `channel:${c.id}`, label: `${c.name} (${TYPE_NAMES[c.type]})` }));
  if (channel === 'email')
    for (const m of data.mailboxes) if (m.status === 'connected') options.push({ value: `gmail:${m.id}`, label: `${m.email} (Gmail)` });
  return options;
}

export function useTemplates(channel: StepChannel) {
  return useQuery<TemplateSummary[], ApiError>({
    queryKey: ['wizard-templates', channel],
    queryFn: async () => (await api<{ items: TemplateSummary[] }>('GET', withQuery('/templates', { channel, limit: 100 }))).items,
  });
}

/** A value that settles `ms` after its last change (the live count does not query on every keystroke). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The live count / review of an audience; `body` undefined while the audience is incomplete. */
export function useAudienceReview(body: object | undefined) {
  const key = useDebounced(body ? JSON.stringify(body) : '');
  return useQuery<AudienceReview, ApiError>({
    queryKey: ['audience-preview', key],
    queryFn: () => api<AudienceReview>('POST', '/campaigns/audience-preview', JSON.parse(key)),
    enabled: key !== '',
    placeholderData: (previous) => previous,
  });
}

export const SKIP_REASONS: Record<string, string> = {
  no_consent: 'No consent for the channel',
  suppressed: 'Suppressed (unsubscribed, bounced, STOP…)',
  missing_address: 'No address for the channel (email or phone missing)',
};

export interface CheckFinding {
  code: string;
  severity: 'blocking' | 'warning';
  message: string;
  step?: number;
  sender?: string;
  count?: number;
}

/** POST /campaigns/{id}/check (backend campaigns/check/check.service.ts): what launch would refuse, skip, and when it ends. */
export interface CampaignCheck {
  ok: boolean;
  blocking: CheckFinding[];
  warnings: CheckFinding[];
  leads: number;
  steps: Array<{
    position: number;
    channel: StepChannel;
    sender: string | null;
    eligible: number;
    skipped: Record<string, number>;
    missingVariables: Array<{ variable: string; leads: number }>;
  }>;
  eta: {
    startAt: string;
    lastMessageAt: string;
    seconds: number;
    senders: Array<{ sender: string; label: string; messages: number; lastMessageAt: string | null }>;
  } | null;
}

export const runCheck = (campaignId: string) => api<CampaignCheck>('POST', `/campaigns/${campaignId}/check`);
