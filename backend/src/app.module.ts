import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CliModule } from './cli/cli.module';
import { ApiKeyGuard } from './common/auth/api-key.guard';
import { CryptoModule } from './common/crypto/crypto.module';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { AppConfigModule } from './config/app-config.module';
import { Environment } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { SecurityModule } from './common/security/security.module';
import { LoggingModule } from './common/logging/logging.module';
import { LeaseModule } from './modules/lease/lease.module';
import { OutboxModule } from './modules/outbox/outbox.module';
import { SchedulingModule } from './modules/scheduling/scheduling.module';
import { TrackingModule } from './modules/tracking/tracking.module';
import { CampaignsModule } from './modules/campaigns/campaigns.module';
import { CallbacksModule } from './modules/callbacks/callbacks.module';
import { ConversationsModule } from './modules/conversations/conversations.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { InboundModule } from './modules/inbound/inbound.module';
import { ApiKeysModule } from './modules/api-keys/api-keys.module';
import { ChannelsModule } from './modules/channels/channels.module';
import { AuthModule } from './modules/auth/auth.module';
import { UsersModule } from './modules/users/users.module';
import { EmailAccountsModule } from './modules/email-accounts/email-accounts.module';
import { HealthModule } from './modules/health/health.module';
import { LeadsModule } from './modules/leads/leads.module';
import { SheetsModule } from './modules/sheets/sheets.module';
import { OrganizationsModule } from './modules/organizations/organizations.module';
import { SuppressionsModule } from './modules/suppressions/suppressions.module';
import { AnalyticsModule } from './modules/analytics/analytics.module';
import { ConversionsModule } from './modules/conversions/conversions.module';
import { WarmupModule } from './modules/warmup/warmup.module';
import { DeliverabilityModule } from './modules/deliverability/deliverability.module';
import { EnrollmentsModule } from './modules/enrollments/enrollments.module';
import { EventsModule } from './modules/events/events.module';
import { AiDraftingModule } from './modules/ai-drafting/ai-drafting.module';
import { TemplatesModule } from './modules/templates/templates.module';
import { WhatsappTemplatesModule } from './modules/whatsapp-templates/whatsapp-templates.module';
import { VoiceAgentModule } from './modules/voice-agent/voice-agent.module';

@Module({})
export class AppModule {
  static forRoot(overrides: Partial<Record<keyof Environment, string>> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(overrides),
        DatabaseModule,
        CryptoModule,
        SecurityModule,
        LoggingModule,
        HealthModule,
        // Express matches a request against every route registered before its own, one pattern at a time:
        // provider callbacks and tracking hits, by far the most frequent requests, are registered first
        // (with the channels and suppressions modules they import). Their paths share no prefix with later routes.
        WebhooksModule,
        TrackingModule,
        ApiKeysModule,
        OrganizationsModule,
        LeadsModule,
        SheetsModule,
        // `POST /templates/draft` before the templates' `/templates/:id` routes.
        AiDraftingModule,
        TemplatesModule,
        SuppressionsModule,
        ChannelsModule,
        WhatsappTemplatesModule,
        EmailAccountsModule,
        UsersModule,
        AuthModule,
        CliModule,
        IdempotencyModule,
        OutboxModule,
        CampaignsModule,
        ConversationsModule,
        CallbacksModule,
        VoiceAgentModule,
        SchedulingModule,
        LeaseModule,
        InboundModule,
        AnalyticsModule,
        ConversionsModule,
        EventsModule,
        EnrollmentsModule,
        WarmupModule,
        DeliverabilityModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
