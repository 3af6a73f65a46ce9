import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ConversationReplyService } from './conversation-reply.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';

@Module({
  imports: [OutboxModule],
  controllers: [ConversationsController],
  providers: [ConversationsService, ConversationReplyService],
})
export class ConversationsModule {}
