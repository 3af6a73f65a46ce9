import { Module } from '@nestjs/common';
import { AnalyticsCompactor } from './analytics-compactor';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';

/** Campaign and organization engagement, read from the trigger-kept rollups. */
@Module({
  controllers: [AnalyticsController],
  providers: [AnalyticsService, AnalyticsCompactor],
  exports: [AnalyticsService, AnalyticsCompactor],
})
export class AnalyticsModule {}
