import { Module } from '@nestjs/common';
import { ChannelWarmupController, EmailAccountWarmupController } from './warmup.controller';
import { WarmupService } from './warmup.service';

/** Warm-up ramps of senders (channels and mailboxes): a daily cap that grows each day, enforced by the quota ledger. */
@Module({ controllers: [ChannelWarmupController, EmailAccountWarmupController], providers: [WarmupService] })
export class WarmupModule {}
