import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { SenderWarmup } from './sender-warmup.entity';
import { assertSenderOfOrg, senderWhere } from '../lease/sender-of-org';
import { senderLedgerKey, type SenderId } from '../lease/sender-id';
import { wakeRunsOfSender } from '../scheduling/wake-runs';
import { SetWarmupDto } from './warmup.dto';
import { warmupToday } from './warmup-ramp';
import { WarmupResponse } from './warmup.responses';

/** Which sender a ramp belongs to. */
export type WarmupSender = SenderId;

/**
 * The daily cap a sender's warm-up allows now, or undefined without a ramp. The lease resolves the sender's
 * daily cap as the lowest of its limits, this one included, so the quota ledger enforces the ramp.
 */
export async function warmupCapNow(m: EntityManager | DataSource, sender: WarmupSender, now = new Date()): Promise<number | undefined> {
  const ramp = await m.getRepository(SenderWarmup).findOneBy(senderWhere(sender));
  return ramp ? warmupToday(ramp, now).capToday : undefined;
}

@Injectable()
export class WarmupService {
  constructor(private readonly dataSource: DataSource) {}

  async get(organizationId: string, sender: WarmupSender): Promise<WarmupResponse> {
    await assertSenderOfOrg(this.dataSource, organizationId, sender);
    const ramp = await this.dataSource.getRepository(SenderWarmup).findOneBy({ organizationId, ...senderWhere(sender) });
    if (!ramp) throw new AppError('not_found', 'This sender has no warm-up');
    return this.present(ramp);
  }

  async set(organizationId: string, sender: WarmupSender, input: SetWarmupDto): Promise<WarmupResponse> {
    await assertSenderOfOrg(this.dataSource, organizationId, sender);
    if (input.targetPerDay < input.startPerDay)
      throw new AppError('validation_failed', 'targetPerDay must be at least startPerDay', [
        { field: 'targetPerDay', message: 'targetPerDay must be at least startPerDay' },
      ]);
    const startedAt = input.startedAt ? new Date(input.startedAt) : new Date();
    if (startedAt.getTime() > Date.now() + 60_000)
      throw new AppError('validation_failed', 'startedAt cannot be in the future', [
        { field: 'startedAt', message: 'startedAt cannot be in the future' },
      ]);
    const repo = this.dataSource.getRepository(SenderWarmup);
    const current = await repo.findOneBy({ organizationId, ...senderWhere(sender) });
    const saved = await repo.save({
      ...(current ?? { organizationId, channelId: null, emailAccountId: null, ...senderWhere(sender) }),
      startPerDay: input.startPerDay,
      growthPercent: input.growthPercent,
      targetPerDay: input.targetPerDay,
      // Changing the numbers keeps the ramp's day unless a start is given: a tweak is not a restart.
      startedAt: input.startedAt || !current ? startedAt : current.startedAt,
    });
    await wakeRunsOfSender(this.dataSource, organizationId, sender);
    return this.present(saved);
  }

  async remove(organizationId: string, sender: WarmupSender): Promise<void> {
    await assertSenderOfOrg(this.dataSource, organizationId, sender);
    // Found, then removed: the embedded database's driver does not report affected rows.
    const repo = this.dataSource.getRepository(SenderWarmup);
    const ramp = await repo.findOneBy({ organizationId, ...senderWhere(sender) });
    if (!ramp) throw new AppError('not_found', 'This sender has no warm-up');
    await repo.delete({ id: ramp.id });
    await wakeRunsOfSender(this.dataSource, organizationId, sender);
  }

  private async present(ramp: SenderWarmup): Promise<WarmupResponse> {
    const today = warmupToday(ramp, new Date());
    const [{ used }] = await this.dataSource.query<Array<{ used: string }>>(
      `SELECT coalesce(sum(count), 0) AS used FROM sender_usage WHERE sender_key = $1 AND hour > clock_timestamp() - interval '24 hours'`,
      [senderLedgerKey(ramp.channelId ? { channelId: ramp.channelId } : { emailAccountId: ramp.emailAccountId! })],
    );
    return {
      startPerDay: ramp.startPerDay,
      growthPercent: ramp.growthPercent,
      targetPerDay: ramp.targetPerDay,
      startedAt: ramp.startedAt.toISOString(),
      day: today.day,
      capToday: today.capToday,
      sentLast24h: Number(used),
      complete: today.complete,
      completesAt: today.completesAt.toISOString(),
    };
  }
}
