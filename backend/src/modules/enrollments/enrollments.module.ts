import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsService } from './enrollments.service';

/** Leads entering and leaving triggered campaigns (made by events: `enrollment-effects.ts`). */
@Module({ imports: [CampaignsModule], controllers: [EnrollmentsController], providers: [EnrollmentsService] })
export class EnrollmentsModule {}
