import { Module } from '@nestjs/common';
import { N8nTriggerClient } from './n8n-trigger.client';
import { OutboxDispatcher } from './outbox.dispatcher';

/** Events written in the same transaction as the state they announce, delivered at least once. */
@Module({
  providers: [OutboxDispatcher, N8nTriggerClient],
  exports: [OutboxDispatcher],
})
export class OutboxModule {}
