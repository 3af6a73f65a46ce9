import type { MigrationInterface } from 'typeorm';
import { SenderGuards1797500000000 } from './1797500000000-sender-guards';
import { AbVariants1797600000000 } from './1797600000000-ab-variants';
import { SenderWarmups1797400000000 } from './1797400000000-sender-warmups';
import { TriggeredCampaigns1797300000000 } from './1797300000000-triggered-campaigns';
import { AiProviders1797200000000 } from './1797200000000-ai-providers';
import { CallNow1797000000000 } from './1797000000000-call-now';
import { Callbacks1796500000000 } from './1796500000000-callbacks';
import { MessageAttempts1796600000002 } from './1796600000002-message-attempts';
import { TemplateLibrary1797100000000 } from './1797100000000-template-library';
import { CallSlots1796700000000 } from './1796700000000-call-slots';
import { WhatsappNumberLimits1796900000000 } from './1796900000000-whatsapp-number-limits';
import { ConsentConfirmations1796600000001 } from './1796600000001-consent-confirmations';
import { WhatsappTemplates1796600000000 } from './1796600000000-whatsapp-templates';
import { CampaignAnalytics1796200000000 } from './1796200000000-campaign-analytics';
import { RepliesAndConversations1796300000000 } from './1796300000000-replies-and-conversations';
import { Invitations1796144548589 } from './1796144548589-invitations';
import { OauthPkce1795260000000 } from './1795260000000-oauth-pkce';
import { WebhookEventsPerOrganization1795250000000 } from './1795250000000-webhook-events-per-organization';
import { DropMessagesOpenIndex1795240000000 } from './1795240000000-drop-messages-open-index';
import { WebhookInbox1795229352573 } from './1795229352573-webhook-inbox';
import { WebSignInAndGmailOauth1795226674066 } from './1795226674066-web-sign-in-and-gmail-oauth';
import { StepSendersAndRunRetry1795226028130 } from './1795226028130-step-senders-and-run-retry';
import { MessageStatusCounts1795225763322 } from './1795225763322-message-status-counts';
import { CampaignEngine1795225763321 } from './1795225763321-campaign-engine';
import { InitialSchema1795225261558 } from './1795225261558-initial-schema';
import { GmailInboundSync1796400000000 } from './1796400000000-gmail-inbound-sync';
import { LeanAnalyticsTrigger1797700000000 } from './1797700000000-lean-analytics-trigger';
import { HotSendingMark1797800000000 } from './1797800000000-hot-sending-mark';
import { MessageStepKey1797900000000 } from './1797900000000-message-step-key';
import { TimeOrderedMessageIds1798000000000 } from './1798000000000-time-ordered-message-ids';
import { GuardEventIndex1798100000000 } from './1798100000000-guard-event-index';
import { MessageStepKeyPerStatement1798200000000 } from './1798200000000-message-step-key-per-statement';
import { HotDeliveredMove1798300000000 } from './1798300000000-hot-delivered-move';
import { HotLease1798400000000 } from './1798400000000-hot-lease';
import { MessageLeadKeyPerStatement1798500000000 } from './1798500000000-message-lead-key-per-statement';

// Kept in order; `npm run migration:generate -w backend -- <name>` appends new ones.
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  InitialSchema1795225261558,
  CampaignEngine1795225763321,
  MessageStatusCounts1795225763322,
  StepSendersAndRunRetry1795226028130,
  WebSignInAndGmailOauth1795226674066,
  WebhookInbox1795229352573,
  DropMessagesOpenIndex1795240000000,
  WebhookEventsPerOrganization1795250000000,
  OauthPkce1795260000000,
  Invitations1796144548589,
  CampaignAnalytics1796200000000,
  RepliesAndConversations1796300000000,
  GmailInboundSync1796400000000,
  Callbacks1796500000000,
  WhatsappTemplates1796600000000,
  ConsentConfirmations1796600000001,
  MessageAttempts1796600000002,
  CallSlots1796700000000,
  WhatsappNumberLimits1796900000000,
  CallNow1797000000000,
  TemplateLibrary1797100000000,
  AiProviders1797200000000,
  TriggeredCampaigns1797300000000,
  SenderWarmups1797400000000,
  SenderGuards1797500000000,
  AbVariants1797600000000,
  LeanAnalyticsTrigger1797700000000,
  HotSendingMark1797800000000,
  MessageStepKey1797900000000,
  TimeOrderedMessageIds1798000000000,
  GuardEventIndex1798100000000,
  MessageStepKeyPerStatement1798200000000,
  HotDeliveredMove1798300000000,
  HotLease1798400000000,
  MessageLeadKeyPerStatement1798500000000,
];
