import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { assertSenderOfOrg, senderWhere } from '../lease/sender-of-org';
import { senderLedgerKey, type SenderId } from '../lease/sender-id';
import { wakeRunsOfSender } from '../scheduling/wake-runs';
import { guardMetrics } from './guard-metrics';
import { GUARD_DEFAULTS, guardRates, guardVerdict, type GuardMetrics, type GuardThresholds } from './guard-verdict';
import { ConfigureGuardDto } from './guard.dto';
import { GuardMetricsResponse, GuardResponse } from './guard.responses';
import { SenderGuard } from './sender-guard.entity';

const DAY_MS = 86_400_000;

/**
 * The deliverability guard: per sender, rolling bounce, complaint and provider-rejection rates over the
 * last 24 hours (since the last resume). Crossing a threshold over a large enough sample pauses the
 * sender: every campaign using it waits, with the reason on the sender and on each campaign, until an
 * operator resumes it. Counted at lease, at most every GUARD_EVALUATE_SECONDS per sender.
 */
@Injectable()
export class DeliverabilityGuard {
  private readonly logger = new Logger('DeliverabilityGuard');
  /** When each sender's rates were last counted (per process: every backend instance counts on its own). */
  private readonly countedAt = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  /** At lease: why the sender may not send now, or undefined. */
  async pausedReason(organizationId: string, sender: SenderId): Promise<string | undefined> {
    const guard = await this.dataSource.getRepository(SenderGuard).findOneBy({ organizationId, ...senderWhere(sender) });
    if (guard?.pausedAt) return guard.pausedReason ?? 'paused by the deliverability guard';
    if (guard && !guard.enabled) return undefined;
    const key = senderLedgerKey(sender);
    const last = this.countedAt.get(key);
    if (last !== undefined && Date.now() - last < this.env.GUARD_EVALUATE_SECONDS * 1000) return undefined;
    this.countedAt.set(key, Date.now());
    const metrics = await guardMetrics(this.dataSource.manager, organizationId, sender, this.since(guard));
    const reason = guardVerdict(metrics, thresholds(guard));
    if (!reason) return undefined;
    await this.pause(organizationId, sender, reason, metrics);
    return reason;
  }

  async get(organizationId: string, sender: SenderId): Promise<GuardResponse> {
    await assertSenderOfOrg(this.dataSource, organizationId, sender);
    const guard = await this.dataSource.getRepository(SenderGuard).findOneBy({ organizationId, ...senderWhere(sender) });
    return this.present(guard, await guardMetrics(this.dataSource.manager, organizationId, sender, this.since(guard)));
  }

  async configure(organizationId: string, sender: SenderId, input: ConfigureGuardDto): Promise<GuardResponse> {
    await assertSenderOfOrg(this.dataSource, organizationId, sender);
    const repo = this.dataSource.getRepository(SenderGuard);
    const guard = (await repo.findOneBy({ organizationId, ...senderWhere(sender) })) ?? repo.create(this.fresh(organizationId, sender));
    for (const field of ['enabled', 'bounceRate', 'complaintRate', 'rejectionRate', 'minSample'] as const)
      if (input[field] !== undefined) (guard as unknown as Record<string, unknown>)[field] = input[field];
    const saved = await repo.save(guard);
    this.countedAt.delete(senderLedgerKey(sender));
    return this.present(saved, await guardMetrics(this.dataSource.manager, organizationId, sender, this.since(saved)));
  }

  /** An operator's resume: the sender sends again, and its rates count afresh from now. */
  async resume(organizationId: string, sender: SenderId): Promise<GuardResponse> {
    await assertSenderOfOrg(this.dataSource, organizationId, sender);
    const repo = this.dataSource.getRepository(SenderGuard);
    const guard = await repo.findOneBy({ organizationId, ...senderWhere(sender) });
    if (!guard?.pausedAt) throw new AppError('sender_not_paused', 'The deliverability guard has not paused this sender');
    guard.pausedAt = null;
    guard.pausedReason = null;
    guard.resumedAt = new Date();
    const saved = await repo.save(guard);
    this.countedAt.delete(senderLedgerKey(sender));
    await wakeRunsOfSender(this.dataSource, organizationId, sender);
    return this.present(saved, await guardMetrics(this.dataSource.manager, organizationId, sender, this.since(saved)));
  }

  private async pause(organizationId: string, sender: SenderId, reason: string, metrics: GuardMetrics): Promise<void> {
    await this.dataSource.transaction(async (m: EntityManager) => {
      const repo = m.getRepository(SenderGuard);
      const guard = (await repo.findOneBy({ organizationId, ...senderWhere(sender) })) ?? repo.create(this.fresh(organizationId, sender));
      if (guard.pausedAt) return;
      guard.pausedAt = new Date();
      guard.pausedReason = reason;
      guard.pausedMetrics = metrics;
      await repo.save(guard);
    });
    this.logger.warn(`Sender ${senderLedgerKey(sender)} paused by the deliverability guard: ${reason}`);
  }

  private since(guard: SenderGuard | null): Date {
    const dayAgo = Date.now() - DAY_MS;
    return new Date(Math.max(dayAgo, guard?.resumedAt?.getTime() ?? 0));
  }

  private fresh(organizationId: string, sender: SenderId): Partial<SenderGuard> {
    return { organizationId, channelId: null, emailAccountId: null, ...senderWhere(sender), enabled: true };
  }

  private present(guard: SenderGuard | null, metrics: GuardMetrics): GuardResponse {
    return {
      enabled: guard?.enabled ?? true,
      state: guard?.pausedAt ? 'paused' : 'sending',
      reason: guard?.pausedReason ?? null,
      pausedAt: guard?.pausedAt?.toISOString() ?? null,
      pausedMetrics: guard?.pausedAt && guard.pausedMetrics ? withRates(guard.pausedMetrics) : null,
      metrics: withRates(metrics),
      thresholds: thresholds(guard),
    };
  }
}

function thresholds(guard: SenderGuard | null): GuardThresholds {
  return {
    bounceRate: guard?.bounceRate ?? GUARD_DEFAULTS.bounceRate,
    complaintRate: guard?.complaintRate ?? GUARD_DEFAULTS.complaintRate,
    rejectionRate: guard?.rejectionRate ?? GUARD_DEFAULTS.rejectionRate,
    minSample: guard?.minSample ?? GUARD_DEFAULTS.minSample,
  };
}

function withRates(m: GuardMetrics): GuardMetricsResponse {
  const r = guardRates(m);
  const round = (x: number) => Math.round(x * 100_000) / 100_000;
  return { ...m, bounceRate: round(r.bounceRate), complaintRate: round(r.complaintRate), rejectionRate: round(r.rejectionRate) };
}
