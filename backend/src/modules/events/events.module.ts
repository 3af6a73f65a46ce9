import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

/** What leads do, sent in by the organization's systems; it drives the triggered campaigns (enrollments module). */
@Module({ controllers: [EventsController], providers: [EventsService] })
export class EventsModule {}
