import { AiProvider } from '../modules/ai-drafting/ai-provider.entity';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.entity';
import { CampaignStep } from '../modules/campaigns/campaign-step.entity';
import { CampaignStepVariant } from '../modules/campaigns/variants/campaign-step-variant.entity';
import { Campaign } from '../modules/campaigns/campaign.entity';
import { CampaignRun } from '../modules/scheduling/campaign-run.entity';
import { SenderLedger, SenderUsage } from '../modules/quota/sender-ledger.entity';
import { MessageEvent } from '../modules/messages/message-event.entity';
import { Message } from '../modules/messages/message.entity';
import { OutboxEvent } from '../modules/outbox/outbox-event.entity';
import { WebhookInboxEntry } from '../modules/webhooks/webhook-inbox.entity';
import { ApiKey } from '../modules/api-keys/api-key.entity';
import { ChannelConnection } from '../modules/channels/channel-connection.entity';
import { EmailAccount } from '../modules/email-accounts/email-account.entity';
import { Conversion } from '../modules/conversions/conversion.entity';
import { SenderWarmup } from '../modules/warmup/sender-warmup.entity';
import { SenderGuard } from '../modules/deliverability/sender-guard.entity';
import { Lead } from '../modules/leads/lead.entity';
import { Organization } from '../modules/organizations/organization.entity';
import { Suppression } from '../modules/suppressions/suppression.entity';
import { Template } from '../modules/templates/template.entity';
import { OAuthState } from '../modules/auth/oauth-state.entity';
import { UserSession } from '../modules/auth/user-session.entity';
import { CallbackActivity } from '../modules/callbacks/callback-activity.entity';
import { CallbackCall } from '../modules/callbacks/callback-call.entity';
import { CallbackRequest } from '../modules/callbacks/callback-request.entity';
import { Conversation } from '../modules/conversations/conversation.entity';
import { WhatsappTemplate } from '../modules/whatsapp-templates/whatsapp-template.entity';
import { WhatsappNumberLimits } from '../modules/whatsapp-templates/whatsapp-number-limits.entity';
import { ConsentConfirmation } from '../modules/leads/consent-confirmation.entity';
import { MessageAttempt } from '../modules/messages/message-attempt.entity';
import { MessageLease } from '../modules/messages/message-lease.entity';
import { CallSlot } from '../modules/quota/call-slot.entity';
import { Invitation } from '../modules/users/invitation.entity';
import { User } from '../modules/users/user.entity';
import { LeadEvent } from '../modules/events/lead-event.entity';
import { Enrollment } from '../modules/enrollments/enrollment.entity';

export const ENTITIES = [
  AiProvider,
  CallbackRequest,
  CallbackActivity,
  CallbackCall,
  Organization,
  ApiKey,
  Lead,
  Template,
  Suppression,
  ChannelConnection,
  EmailAccount,
  Campaign,
  CampaignStep,
  CampaignStepVariant,
  Message,
  MessageEvent,
  CampaignRun,
  SenderLedger,
  SenderUsage,
  OutboxEvent,
  IdempotencyKey,
  WebhookInboxEntry,
  User,
  Invitation,
  UserSession,
  OAuthState,
  Conversion,
  Conversation,
  WhatsappTemplate,
  WhatsappNumberLimits,
  ConsentConfirmation,
  MessageAttempt,
  MessageLease,
  CallSlot,
  LeadEvent,
  Enrollment,
  SenderWarmup,
  SenderGuard,
];
