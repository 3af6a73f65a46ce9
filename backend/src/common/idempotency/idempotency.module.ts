import { Global, Module } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service';

/** Stored answers for `Idempotency-Key` requests (launch, reports): one service, used by several modules. */
@Global()
@Module({ providers: [IdempotencyService], exports: [IdempotencyService] })
export class IdempotencyModule {}
