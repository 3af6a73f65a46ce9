import { EntityManager } from 'typeorm';
import { GMAIL_SEND_SCOPE } from '../../auth/google-endpoints';
import { ChannelConnection } from '../../channels/channel-connection.entity';
import { SenderGuard } from '../../deliverability/sender-guard.entity';
import { EmailAccount } from '../../email-accounts/email-account.entity';
import { channelRatePerSecond, GMAIL_RATE_PER_SECOND, reportedLimits } from '../../lease/sender-resolver';
import type { SenderId } from '../../lease/sender-id';
import { senderWhere } from '../../lease/sender-of-org';
import { SenderWarmup } from '../../warmup/sender-warmup.entity';
import type { EtaLedger } from './eta';
import { blocking, CheckFinding, warning } from './findings';

export interface SenderState {
  key: string;
  label: string;
  /** `twilio`, `mailgun`, `whatsapp` or `gmail`. */
  kind: string;
  ledger: EtaLedger;
  findings: CheckFinding[];
}

/**
 * A sender's health from what is recorded (the mailbox's status and scopes, the channel's last test, the
 * guard's pause), never by calling the provider: the check must be quick and side-effect free. Plus its
 * pace for the ETA: the same rate and daily cap the lease's SenderResolver applies (addSenderLoad adds the rest).
 *
 * A sender paused by the deliverability guard is a warning, not a block: the pause is an operator's to
 * lift, the lease waits for it (nothing fails), and refusing the launch would only force the user to come
 * back after resuming. The ETA then assumes it is resumed now.
 */
export async function senderState(m: EntityManager, organizationId: string, sender: SenderId): Promise<SenderState | CheckFinding> {
  const where = senderWhere(sender);
  let state: SenderState;
  if ('channelId' in sender) {
    const channel = await m.findOneBy(ChannelConnection, { id: sender.channelId, organizationId });
    if (!channel) return blocking('sender_missing', 'The sending channel was deleted', { sender: `channel:${sender.channelId}` });
    const key = `channel:${channel.id}`;
    const findings: CheckFinding[] = [];
    if (channel.status === 'error')
      findings.push(
        blocking('channel_test_failed', `Channel "${channel.name}" failed its last test: ${channel.lastError ?? 'no detail recorded'}`, {
          sender: key,
        }),
      );
    else if (channel.status === 'untested')
      findings.push(
        warning('channel_untested', `Channel "${channel.name}" was never tested; send a test from Settings first`, { sender: key }),
      );
    // As SenderResolver: a WhatsApp number is also held to what Meta last reported (throughput, daily limit).
    const limits = channel.type === 'whatsapp' ? await reportedLimits(m, channel.id) : undefined;
    const caps = [channel.config.dailyCap, limits?.dailyLimit].filter((c): c is number => typeof c === 'number');
    const rates = [channelRatePerSecond(channel.config), limits?.throughputPerSecond].filter((r): r is number => typeof r === 'number');
    state = {
      key,
      label: channel.name,
      kind: channel.type,
      ledger: { key, ratePerSecond: Math.min(...rates), ...(caps.length && { dailyCap: Math.min(...caps) }) },
      findings,
    };
  } else {
    const account = await m.findOneBy(EmailAccount, { id: sender.emailAccountId, organizationId });
    if (!account)
      return blocking('sender_missing', 'The sending mailbox was removed', { sender: `email_account:${sender.emailAccountId}` });
    const key = `email_account:${account.id}`;
    const findings: CheckFinding[] = [];
    if (account.status !== 'connected')
      findings.push(
        blocking(
          'mailbox_not_connected',
          `The mailbox ${account.email} needs to be reconnected in Settings (${account.lastError ?? account.status})`,
          {
            sender: key,
          },
        ),
      );
    // An empty list records nothing (the column's default, for a mailbox not connected through OAuth here).
    else if (account.scopes.length > 0 && !account.scopes.includes(GMAIL_SEND_SCOPE))
      findings.push(
        blocking('mailbox_scope_missing', `The mailbox ${account.email} did not grant permission to send (gmail.send)`, { sender: key }),
      );
    state = {
      key,
      label: account.email,
      kind: 'gmail',
      ledger: { key, ratePerSecond: GMAIL_RATE_PER_SECOND, dailyCap: account.dailyCap },
      findings,
    };
  }
  const guard = await m.findOneBy(SenderGuard, { organizationId, ...where });
  if (guard?.pausedAt)
    state.findings.push(
      warning(
        'sender_paused',
        `${state.label} is paused by the deliverability guard (${guard.pausedReason ?? 'no reason recorded'}); nothing is sent until it is resumed`,
        { sender: state.key },
      ),
    );
  return state;
}

/**
 * The sender's load for the ETA: its warm-up ramp, what it sent in the last 24 hours (any campaign) and
 * what other active campaigns have queued on it. Launch does not need it (it refuses on health only), and
 * the queued count reads every other campaign's queue.
 */
export async function addSenderLoad(
  m: EntityManager,
  organizationId: string,
  campaignId: string,
  sender: SenderId,
  state: SenderState,
): Promise<void> {
  const where = senderWhere(sender);
  const ramp = await m.findOneBy(SenderWarmup, { organizationId, ...where });
  if (ramp) state.ledger.warmup = ramp;
  const usage: Array<{ hour: Date; count: number }> = await m.query(
    `SELECT hour, count FROM sender_usage WHERE sender_key = $1 AND hour > clock_timestamp() - interval '24 hours'`,
    [state.key],
  );
  state.ledger.usage = new Map(usage.map((u) => [new Date(u.hour).getTime(), Number(u.count)]));
  // The sender's ledger is one GCRA row for every campaign that sends through it: what other active or
  // scheduled campaigns have queued goes first in the model (queued before this launch), at the same pace.
  const column = 'channelId' in sender ? 'sender_channel_id' : 'sender_email_account_id';
  const [{ queued }] = await m.query<Array<{ queued: number }>>(
    `SELECT count(*)::int AS queued
       FROM messages msg
       JOIN campaign_steps s ON s.id = msg.step_id
       JOIN campaigns c ON c.id = msg.campaign_id
      WHERE c.organization_id = $1 AND c.id <> $2 AND c.status IN ('active', 'scheduled') AND msg.status = 'queued'
        AND COALESCE(s.${column}, c.${column}) = $3`,
    [organizationId, campaignId, 'channelId' in sender ? sender.channelId : sender.emailAccountId],
  );
  state.ledger.queuedElsewhere = Number(queued);
}
