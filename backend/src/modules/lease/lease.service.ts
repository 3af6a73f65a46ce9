import {
  MAX_LEASE_BATCH,
  maxLeaseCountFor,
  type Channel,
  type LeaseItem,
  type LeaseResponse,
  type LeaseThreading,
} from '@cadence/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { CampaignStep } from '../campaigns/campaign-step.entity';
import { CampaignStepVariant } from '../campaigns/variants/campaign-step-variant.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { Consent } from '../leads/lead.entity';
import { Template } from '../templates/template.entity';
import { messageTemplateOf } from '../templates/message-template';
import { CampaignRun } from '../scheduling/campaign-run.entity';
import { advanceSequences, expireLeases, postponeQueued } from '../messages/message-queue';
import { sendWindowGate } from './send-window-gate';
import { DeliverabilityGuard } from '../deliverability/deliverability-guard.service';
import type { SenderId } from './sender-id';
import * as MessageMachine from '../messages/message-status';
import { completeIfDone, suspendCampaign } from '../campaigns/campaign-status';
import { slotLateToleranceMs } from '../quota/quota-gcra.util';
import { ledgersHoldSlots, lockLedgers, peekSlots, QuotaKey, reserveSlots } from '../quota/quota-ledger';
import { peekCallSlots, releaseCallSlots, takeCallSlots } from '../quota/call-slots';
import { answeringMachineDetection, callLimits, callPacingKeys, CALL_SLOT_WAIT_MS } from './voice-lease';
import { publicUrl } from '../tracking/public-url';
import { ResolvedSender, SenderRef, SenderResolver, SenderUnavailableError } from './sender-resolver';
import { TrackingTokens } from '../tracking/tracking-tokens';
import { agentOutcomeUrl, messageLinks } from '../tracking/message-links';
import { complianceSkipReasonSql, ComplianceSkipReason, leadAddressSql } from './compliance.sql';
import { horizonMs } from './lease-policy.util';
import { DueCursors } from './due-cursor';
import { gmailThreading, NO_THREADING } from './threading';
import { LeaseTurns, takeLeaseTurn } from './lease-turn';

const MAX_BATCH = MAX_LEASE_BATCH;
const LEASE_CAMPAIGN_FIELDS = {
  id: true,
  organizationId: true,
  name: true,
  type: true,
  status: true,
  settings: true,
  senderChannelId: true,
  senderEmailAccountId: true,
} as const;
const DEFAULT_BATCH = 500;
/** Beyond this wait the run ends and the scheduler triggers a new one when the quota frees up. */
const MAX_IN_RUN_WAIT_MS = 30_000;
/** A paused sender's runs sleep this long unless its resume wakes them first. */
const SENDER_PAUSED_WAIT_MS = 3_600_000;
const senderId = (ref: SenderRef): SenderId => (ref.channelId ? { channelId: ref.channelId } : { emailAccountId: ref.emailAccountId! });

interface Candidate {
  id: string;
  lead_id: string | null;
  step_id: string;
  /** The A/B variant whose template is sent; null: the step's template. */
  variant_id: string | null;
  position: number;
  channel: Channel;
  due_at: Date;
  address: string | null;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  timezone: string | null;
  attributes: Record<string, unknown> | null;
  consent: Consent | null;
  /** Why compliance refuses this message, if it does. */
  compliance: ComplianceSkipReason | null;
  replied: boolean;
  /** The campaign's frequency cap refuses it. */
  capped: boolean;
}

/**
 * The due messages, locked first and joined after. The runs of a campaign take turns (lease-turn.ts), so what
 * `SKIP LOCKED` passes over is a row another statement holds (a cancel, a lead's exit or deletion) rather than
 * another run's lease. Locked first: with the joins and the compliance expressions under the lock, each row
 * passed over had its lead read and its checks run first. `taken` answers the message's columns as locked (the
 * newest version, should a concurrent commit have moved it), so the outer query reads no message twice.
 */
const CANDIDATES_SQL = `
  WITH taken AS MATERIALIZED (
    SELECT m.id, m.organization_id, m.campaign_id, m.lead_id, m.step_id, m.variant_id, m.position, m.channel, m.due_at
      FROM messages m
     -- now() (the transaction's time) bounds the due index; ordering by due_at alone lets LIMIT stop early.
     -- $7: where the scan starts (due-cursor.ts), '-infinity' for the start.
     WHERE m.campaign_id = $1 AND m.indexed_status = 'queued' AND m.status = 'queued' AND m.due_at <= now() AND m.due_at >= $7::timestamptz
       AND m.id <> ALL($3::uuid[])
       AND m.step_id = ANY($4::uuid[])
     ORDER BY m.due_at
     LIMIT $2
     FOR UPDATE OF m SKIP LOCKED
  )
  SELECT m.id, m.lead_id, m.step_id, m.variant_id, m.position, m.channel, m.due_at,
         ${leadAddressSql('m.channel', 'l')} AS address,
         l.email, l.phone, l.first_name, l.last_name, l.timezone, l.attributes, l.consent,
         -- The same expression the campaign review counts with (compliance.sql.ts).
         ${complianceSkipReasonSql('m.organization_id', 'm.channel', 'l')} AS compliance,
         -- CASE, not AND: "NULL AND EXISTS (...)" would run the subquery for every step without a condition.
         CASE WHEN st.condition ->> 'type' = 'no_reply' THEN EXISTS (
            SELECT 1 FROM messages pm JOIN message_events e ON e.message_id = pm.id AND e.type = 'replied'
             WHERE pm.campaign_id = m.campaign_id AND pm.lead_id = m.lead_id) ELSE false END AS replied,
         -- The campaign's frequency cap ($5 messages per $6 hours): what the lead got on this channel from any
         -- campaign, counting what is in flight. CASE: no subquery at all for a campaign without a cap.
         CASE WHEN $5::int IS NOT NULL THEN (
            SELECT count(*) FROM messages fm
             WHERE fm.lead_id = m.lead_id AND fm.channel = m.channel AND fm.id <> m.id
               AND (fm.sent_at > now() - make_interval(hours => $6::int) OR fm.status IN ('leased', 'sending'))) >= $5::int
              ELSE false END AS capped
    FROM taken m
    JOIN campaign_steps st ON st.id = m.step_id
    -- LIMIT 1 keeps this a lookup by id for each message: as a plain join, a young campaign's stale statistics
    -- had the planner hash the organization's every lead for a lease of 1,000.
    LEFT JOIN LATERAL (SELECT * FROM leads WHERE leads.id = m.lead_id LIMIT 1) l ON true
   ORDER BY m.due_at`;

/**
 * Hands due messages to n8n: compliance checks first (suppression, consent, conditions: refused
 * messages become `skipped` with their reason), then slots from the quota ledger, then the lease.
 */
@Injectable()
export class LeaseService {
  private readonly logger = new Logger('LeaseService');

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly senders: SenderResolver,
    private readonly tokens: TrackingTokens,
    private readonly guard: DeliverabilityGuard,
    private readonly dueCursors: DueCursors,
    private readonly turns: LeaseTurns,
  ) {}

  async findRun(runId: string): Promise<CampaignRun> {
    const run = await this.dataSource.getRepository(CampaignRun).findOneBy({ id: runId });
    if (!run) throw new AppError('run_not_found', `No run ${runId}`);
    return run;
  }

  async lease(runId: string, max?: number): Promise<LeaseResponse> {
    const run = await this.findRun(runId);
    // Not the audience: an id list can be megabytes, and n8n leases several times a second.
    const campaign = await this.dataSource
      .getRepository(Campaign)
      .findOneOrFail({ select: LEASE_CAMPAIGN_FIELDS, where: { id: run.campaignId, organizationId: run.organizationId } });
    if (run.finishedAt || campaign.status !== 'active') return this.finish(run);
    const group = await this.nextSenderGroup(campaign);
    if (!group) {
      this.dueCursors.forget(campaign.id);
      await this.dataSource.transaction(async (m) => {
        await expireLeases(m, this.env.LEASE_TTL_SECONDS, { campaignId: campaign.id });
        await completeIfDone(m, campaign.id);
      });
      return this.finish(run);
    }
    // Resolved outside the transaction: a Gmail token refresh is a network call.
    let sender: ResolvedSender;
    try {
      sender = await this.senders.resolve(group.sender);
    } catch (error) {
      if (!(error instanceof SenderUnavailableError)) throw error;
      await suspendCampaign(this.dataSource, campaign.id, error.message);
      this.logger.warn(`Campaign ${campaign.id} paused: ${error.message}`);
      return this.finish(run);
    }
    // A sender the deliverability guard paused sends nothing for any campaign until an operator resumes it
    // (the resume wakes this run); the campaign stays active and its page shows the sender's reason.
    const paused = await this.guard.pausedReason(campaign.organizationId, senderId(group.sender));
    if (paused) return this.dataSource.transaction((m) => this.waitForQuota(m, run, SENDER_PAUSED_WAIT_MS));
    const requested = Math.max(1, Math.min(max ?? DEFAULT_BATCH, campaign.settings.batchSize ?? DEFAULT_BATCH, MAX_BATCH));
    const keys = [...this.quotaKeys(campaign, sender), ...callPacingKeys(campaign, sender, group.channels)];
    const limits = callLimits(campaign, sender, group.channels);
    const horizon = horizonMs(this.env.LEASE_TTL_SECONDS);
    // The campaign's turn: first among this process's leases (waiting there holds no snapshot), then against
    // other instances' (lease-turn.ts).
    return this.turns.take(campaign.id, () =>
      this.dataSource.transaction(async (m) => {
        await takeLeaseTurn(m, campaign.id);
        // Expired leases are swept by the scheduler's tick, not here: a sweep per lease cost more than the lease.
        await m.query('UPDATE campaign_runs SET last_seen_at = clock_timestamp() WHERE id = $1', [run.id]);
        let templates = await this.templatesOf(m, campaign.id, group.withVariants);
        // Fewer messages of a large template: n8n holds each one's rendered content until its execution ends. Every
        // template of the campaign counts (a sequence's long email also shortens its SMS leases: only more leases).
        const batch = Math.min(requested, maxLeaseCountFor([...templates.values()].map(messageTemplateOf)));
        // Sized from an unlocked read of the ledger; the lock is taken last, so leases of one sender
        // serialize only for their final statements, not while they pick and mark their rows. Not where
        // slots are held to the millisecond: there the runs that wait for the ledger come back together, each
        // saw the same room, and all but the first marked a horizon of messages `leased` only to hand them back
        // (1,696 of 2,000 SMS at 50/s over three runs, two full-row writes each). There the ledger is locked
        // first: the others wait for it, then see the slots taken. Never with call slots, which lock before
        // the ledger.
        if (limits.length === 0 && ledgersHoldSlots(keys)) await lockLedgers(m, keys);
        const room = await peekSlots(m, keys, batch, horizon);
        if (room.count === 0) return this.waitForQuota(m, run, room.retryAfterMs);
        // Every live call of the campaign (and of the number) holds a slot until its final status callback.
        const callRoom = await peekCallSlots(m, limits, room.count);
        if (callRoom === 0) return empty(false, CALL_SLOT_WAIT_MS);
        const { sendable, fromStart } = await this.pickSendable(m, campaign, callRoom, group.stepIds);
        if (sendable.length === 0) {
          // Everything picked was refused (suppressed, no consent...): more may be due, so come back at once.
          const [more] = await m.query<unknown[]>(
            `SELECT 1 FROM messages WHERE campaign_id = $1 AND indexed_status = 'queued' AND status = 'queued' AND due_at <= now() LIMIT 1`,
            [campaign.id],
          );
          if (more) return empty(false, 50);
          await completeIfDone(m, campaign.id);
          await m.query('UPDATE campaign_runs SET finished_at = clock_timestamp() WHERE id = $1', [run.id]);
          return empty(true, 0);
        }
        // A call-now bridge rings the agent first; compliance above was checked on the lead's own number.
        if (campaign.settings.bridgeTo) for (const c of sendable) c.address = campaign.settings.bridgeTo;
        // A variant's message of a step no longer under test (its templates were not loaded above).
        if (!group.withVariants && sendable.some((c) => c.variant_id)) templates = await this.templatesOf(m, campaign.id, true);
        const leaseId = randomUUID();
        const expires = await MessageMachine.markLeased(
          m,
          leaseId,
          run.id,
          this.env.LEASE_TTL_SECONDS,
          sendable.map((c) => ({ id: c.id, address: c.address })),
        );
        // Call slots before the ledger (one lock order for every lease); both may give less than picked.
        const calls = await takeCallSlots(
          m,
          limits,
          sendable.map((c) => c.id),
          this.env.CALL_SLOT_TTL_SECONDS,
        );
        const grant = await reserveSlots(m, keys, calls, horizon);
        const leased = sendable.slice(0, grant.count);
        const leftOver = sendable.slice(grant.count);
        if (leftOver.length > 0) {
          // Another lease of this sender took slots since the peek: what is left over goes back untouched.
          const back = leftOver.map((c) => c.id);
          await MessageMachine.requeue(m, { ids: back });
          await releaseCallSlots(m, back);
        }
        // The next lease starts where this one left the queue: at what it handed back, else past what it leased.
        const dues = (leftOver.length > 0 ? leftOver : leased).map((c) => c.due_at.getTime());
        this.dueCursors.advance(campaign.id, new Date(leftOver.length > 0 ? Math.min(...dues) : Math.max(...dues)), fromStart);
        if (grant.count === 0) return calls === 0 ? empty(false, CALL_SLOT_WAIT_MS) : this.waitForQuota(m, run, grant.retryAfterMs);
        // An inbox reply answers the lead's email: its thread was fixed when it was written.
        const replyThreading = campaign.type === 'reply' ? campaign.settings.replyThreading : undefined;
        const threading = replyThreading
          ? new Map<string, LeaseThreading>(leased.map((c) => [c.id, replyThreading]))
          : sender.kind === 'gmail' && sender.emailAccountId
            ? await gmailThreading(m, campaign.id, sender.emailAccountId, String(sender.config.from ?? sender.config.email ?? ''), leased)
            : new Map<string, LeaseThreading>();
        const clickSigningKey = this.tokens.clickKey(campaign.id);
        const lateToleranceMs = slotLateToleranceMs(grant.intervalMs);
        return {
          leaseId,
          leaseExpiresAt: new Date(expires!).toISOString(),
          done: false,
          retryAfterMs: 0,
          grant: {
            count: leased.length,
            startInMs: grant.startInMs,
            startAt: grant.startAtMs,
            ...(lateToleranceMs !== undefined && { lateToleranceMs }),
            intervalMs: grant.intervalMs,
            ratePerSecond: 1000 / grant.intervalMs,
            concurrency: campaign.settings.concurrency ?? 4,
          },
          sender: {
            kind: sender.kind,
            ...(sender.channelId && { channelId: sender.channelId }),
            ...(sender.emailAccountId && { emailAccountId: sender.emailAccountId }),
            config: sender.config,
            secrets: sender.secrets,
            ...(sender.endpointPolicy && { endpointPolicy: sender.endpointPolicy }),
          },
          ...this.itemsWithTemplates(leased, templates, sender, campaign, clickSigningKey, threading),
        };
      }),
    );
  }

  /** Due messages that may be sent; the others are marked `skipped` with their reason on the way. */
  /**
   * A lease serves one sender (one quota ledger): the sender of the earliest due message, and every
   * step of the campaign that sends through it.
   */
  private async nextSenderGroup(
    campaign: Campaign,
  ): Promise<{ sender: SenderRef; stepIds: string[]; channels: string[]; withVariants: boolean } | undefined> {
    const steps = await this.dataSource.getRepository(CampaignStep).findBy({ campaignId: campaign.id });
    const senderOf = (s: CampaignStep): SenderRef =>
      s.senderChannelId || s.senderEmailAccountId
        ? { organizationId: campaign.organizationId, channelId: s.senderChannelId, emailAccountId: s.senderEmailAccountId }
        : { organizationId: campaign.organizationId, channelId: campaign.senderChannelId, emailAccountId: campaign.senderEmailAccountId };
    const earliestDue = (from: Date | undefined): Promise<Array<{ step_id: string }>> =>
      this.dataSource.query(
        `SELECT step_id FROM messages
          WHERE campaign_id = $1 AND indexed_status = 'queued' AND status = 'queued' AND due_at <= now() AND due_at >= $2::timestamptz
          ORDER BY due_at LIMIT 1`,
        [campaign.id, from ?? '-infinity'],
      );
    const from = this.dueCursors.startOf(campaign.id);
    let [first] = await earliestDue(from);
    if (!first && from) [first] = await earliestDue(undefined);
    const step = first && steps.find((s) => s.id === first.step_id);
    if (!step) return undefined;
    const sender = senderOf(step);
    const same = (r: SenderRef) => r.channelId === sender.channelId && r.emailAccountId === sender.emailAccountId;
    const group = steps.filter((s) => same(senderOf(s)));
    return {
      sender,
      stepIds: group.map((s) => s.id),
      channels: [...new Set(group.map((s) => s.channel))],
      // A/B steps' messages carry their variant's template.
      withVariants: steps.some((s) => s.abTest || s.winnerVariantId),
    };
  }

  /** `fromStart`: some round read the due index from the campaign's start, not from its cursor. */
  private async pickSendable(
    m: EntityManager,
    campaign: Campaign,
    batch: number,
    stepIds: string[],
  ): Promise<{ sendable: Candidate[]; fromStart: boolean }> {
    const sendable: Candidate[] = [];
    const seen: string[] = [];
    const window = campaign.settings.sendWindow ? sendWindowGate(campaign.settings.sendWindow, new Date()) : undefined;
    let from = this.dueCursors.startOf(campaign.id);
    let fromStart = from === undefined;
    for (let round = 0; round < 4 && sendable.length < batch; round++) {
      const cap = campaign.settings.frequencyCap;
      const wanted = batch - sendable.length;
      const rows: Candidate[] = await m.query(CANDIDATES_SQL, [
        campaign.id,
        wanted,
        seen,
        stepIds,
        cap?.limit ?? null,
        cap?.periodHours ?? null,
        from ?? '-infinity',
      ]);
      if (rows.length < wanted && from) {
        // Short from the cursor: what went back to the queue below it may be due, so the next round reads from
        // the start. This round's rows are taken as usual; it does not count as one of the four.
        from = undefined;
        fromStart = true;
        round--;
      } else if (rows.length === 0) break;
      const skipped: Array<{ id: string; reason: MessageMachine.SkipReason }> = [];
      const waiting: Array<{ id: string; at: Date }> = [];
      for (const row of rows) {
        seen.push(row.id);
        const reason = !row.lead_id
          ? 'lead_deleted'
          : (row.compliance ?? (row.replied ? 'condition_not_met' : row.capped ? 'frequency_capped' : undefined));
        const opensAt = !reason && window ? window(row) : undefined;
        if (reason) skipped.push({ id: row.id, reason });
        else if (opensAt) waiting.push({ id: row.id, at: opensAt });
        else sendable.push(row);
      }
      // Outside the lead's send window: due again when it opens, still queued (not skipped).
      if (waiting.length) await postponeQueued(m, waiting);
      if (skipped.length) {
        const outcomes = await MessageMachine.skipQueued(m, skipped);
        await advanceSequences(
          m,
          campaign.id,
          outcomes.map((o) => ({ leadId: o.lead_id, position: o.position })),
        );
      }
    }
    return { sendable, fromStart };
  }

  /** Each step's template by step id, and each A/B variant's by variant id (ids are uuids: no clash). */
  private async templatesOf(m: EntityManager, campaignId: string, withVariants: boolean): Promise<Map<string, Template>> {
    const steps = await m.getRepository(CampaignStep).find({ where: { campaignId }, relations: { template: true } });
    const byId = new Map<string, Template>(steps.map((s) => [s.id, s.template!]));
    if (withVariants) {
      const variants = await m.getRepository(CampaignStepVariant).find({
        where: { organizationId: steps[0]?.organizationId, stepId: In(steps.map((s) => s.id)) },
        relations: { template: true },
      });
      for (const v of variants) byId.set(v.id, v.template!);
    }
    return byId;
  }

  /** The items, and each template they use once (by its key: the variant's id, else the step's). */
  private itemsWithTemplates(
    leased: Candidate[],
    templates: Map<string, Template>,
    sender: ResolvedSender,
    campaign: Campaign,
    clickSigningKey: string,
    threading: Map<string, LeaseThreading>,
  ): Pick<LeaseResponse, 'templates' | 'items'> {
    const used: LeaseResponse['templates'] = {};
    const items = leased.map((c) => {
      const key = c.variant_id && templates.has(c.variant_id) ? c.variant_id : c.step_id;
      const template = templates.get(key)!;
      used[key] ??= messageTemplateOf(template);
      return this.item(c, key, template, sender, campaign, clickSigningKey, threading.get(c.id));
    });
    return { templates: used, items };
  }

  private item(
    c: Candidate,
    templateKey: string,
    template: Template,
    sender: ResolvedSender,
    campaign: Campaign,
    clickSigningKey: string,
    threading = NO_THREADING,
  ): LeaseItem {
    const base = publicUrl(this.env);
    const links = messageLinks(base, this.tokens, c.id);
    return {
      messageId: c.id,
      channel: c.channel,
      to: c.address!,
      lead: {
        id: c.lead_id!,
        email: c.email,
        phone: c.phone,
        firstName: c.first_name,
        lastName: c.last_name,
        timezone: c.timezone,
        attributes: c.attributes ?? {},
      },
      templateKey,
      campaign: { id: campaign.id, name: campaign.name, type: campaign.type },
      tracking: { ...links, clickSigningKey },
      callbacks:
        sender.kind === 'twilio' && sender.channelId
          ? {
              statusCallbackUrl: `${base}/webhooks/twilio/${sender.channelId}/status?cadenceMessageId=${c.id}`,
              ...(c.channel === 'voice' &&
                template.voice?.mode === 'agent' && { agentOutcomeUrl: agentOutcomeUrl(base, this.tokens, c.id) }),
              ...(c.channel === 'voice' &&
                answeringMachineDetection(campaign, template, `${base}/webhooks/twilio/${sender.channelId}/call?cadenceMessageId=${c.id}`)),
            }
          : {},
      threading,
    };
  }

  private quotaKeys(campaign: Campaign, sender: ResolvedSender): QuotaKey[] {
    const keys: QuotaKey[] = [
      {
        key: sender.key,
        organizationId: campaign.organizationId,
        ratePerSecond: sender.ratePerSecond,
        ...(sender.dailyCap !== undefined && { dailyCap: sender.dailyCap }),
      },
    ];
    if (campaign.settings.ratePerSecond || campaign.settings.dailyCap) {
      keys.push({
        key: `campaign:${campaign.id}`,
        organizationId: campaign.organizationId,
        ratePerSecond: Math.min(campaign.settings.ratePerSecond ?? sender.ratePerSecond, sender.ratePerSecond),
        ...(campaign.settings.dailyCap !== undefined && { dailyCap: campaign.settings.dailyCap }),
      });
    }
    return keys;
  }

  /** No slot within the horizon: a short wait stays in the execution, a long one ends the run until the scheduler retries. */
  private async waitForQuota(m: EntityManager, run: CampaignRun, retryAfterMs: number): Promise<LeaseResponse> {
    if (retryAfterMs <= MAX_IN_RUN_WAIT_MS) return empty(false, retryAfterMs);
    await m.query(
      `UPDATE campaign_runs SET finished_at = clock_timestamp(), retry_at = clock_timestamp() + make_interval(secs => $2) WHERE id = $1`,
      [run.id, retryAfterMs / 1000],
    );
    return empty(true, retryAfterMs);
  }

  async handoff(runId: string): Promise<void> {
    const run = await this.findRun(runId);
    await this.dataSource.query('UPDATE campaign_runs SET finished_at = coalesce(finished_at, clock_timestamp()) WHERE id = $1', [run.id]);
  }

  private async finish(run: CampaignRun): Promise<LeaseResponse> {
    await this.dataSource.query(
      'UPDATE campaign_runs SET finished_at = coalesce(finished_at, clock_timestamp()), last_seen_at = clock_timestamp() WHERE id = $1',
      [run.id],
    );
    return empty(true, 0);
  }
}

function empty(done: boolean, retryAfterMs: number): LeaseResponse {
  return { leaseId: null, leaseExpiresAt: null, done, retryAfterMs, grant: null, sender: null, templates: {}, items: [] };
}
