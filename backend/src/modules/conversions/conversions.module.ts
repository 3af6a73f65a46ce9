import { Module } from '@nestjs/common';
import { ConversionsController } from './conversions.controller';
import { ConversionsService } from './conversions.service';

/** Conversions reported by the customer's systems, attributed to campaign messages. */
@Module({ controllers: [ConversionsController], providers: [ConversionsService] })
export class ConversionsModule {}
