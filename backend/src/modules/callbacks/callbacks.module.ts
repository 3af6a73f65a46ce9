import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CallbackCallsService } from './callback-calls.service';
import { CallbacksController } from './callbacks.controller';
import { CallbacksService } from './callbacks.service';

@Module({
  imports: [OutboxModule],
  controllers: [CallbacksController],
  providers: [CallbacksService, CallbackCallsService],
})
export class CallbacksModule {}
