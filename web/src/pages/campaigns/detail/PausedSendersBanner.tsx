import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Banner } from '../../../components/Banner';
import { fetchGuard, GUARD_REFRESH_MS, guardAnchor, guardQueryKey, GuardSender } from '../../settings/guard/types';
import type { Campaign, CampaignStatus, Sender } from '../types';
import './paused-senders.css';

/** Campaigns that may still send: a paused sender holds them back. */
const MAY_SEND: CampaignStatus[] = ['scheduled', 'active', 'paused'];

type SenderRef = Pick<GuardSender, 'kind' | 'id'>;
const refOf = (s: Sender): SenderRef =>
  'channelId' in s ? { kind: 'channel', id: s.channelId } : { kind: 'mailbox', id: s.emailAccountId };

/** The senders the campaign sends with: each step's own, else the campaign's (as the backend picks them), once each. */
export function sendersOf(c: Campaign): Array<{ sender: Sender; ref: SenderRef }> {
  const seen = new Map<string, { sender: Sender; ref: SenderRef }>();
  for (const sender of c.steps.length ? c.steps.map((s) => s.sender ?? c.sender) : [c.sender]) {
    const ref = refOf(sender);
    seen.set(`${ref.kind}:${ref.id}`, { sender, ref });
  }
  return [...seen.values()];
}

/**
 * "Sending is paused: Support line’s bounce rate 6.0 % over 100 messages (threshold 5.0 %). Resume it in
 * Settings": the deliverability guard paused a sender this campaign uses, so the campaign waits (it stays
 * active) until an operator resumes the sender. The guard's answers are shared with Settings (same query keys).
 */
export function PausedSendersBanner({ campaign: c, senderName }: { campaign: Campaign; senderName: (s: Sender) => string }) {
  const mayShow = MAY_SEND.includes(c.status);
  const senders = sendersOf(c);
  const guards = useQueries({
    queries: senders.map(({ ref }) => ({
      queryKey: guardQueryKey(ref),
      queryFn: () => fetchGuard(ref),
      enabled: mayShow,
      refetchInterval: GUARD_REFRESH_MS,
    })),
  });
  if (!mayShow) return null;
  // A guard that could not be read says nothing here: the campaign's own status and counters still show what happens.
  const paused = senders.flatMap(({ sender, ref }, i) => {
    const g = guards[i]?.data;
    return g?.state === 'paused' ? [{ sender, ref, reason: g.reason }] : [];
  });
  if (paused.length === 0) return null;
  return (
    <div className="sender-paused" data-testid="sender-paused">
      <Banner tone="error">
        {paused.map(({ sender, ref, reason }) => (
          <p key={`${ref.kind}:${ref.id}`}>
            <strong>Sending is paused:</strong>{' '}
            {reason ? `${senderName(sender)}’s ${reason}.` : `the deliverability guard paused ${senderName(sender)}.`}{' '}
            <Link to={`/settings#${guardAnchor(ref)}`}>Resume it in Settings</Link>
          </p>
        ))}
      </Banner>
    </div>
  );
}
