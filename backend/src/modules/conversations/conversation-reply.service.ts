import { WHATSAPP_TEXT_MAX_CHARS } from '@cadence/render';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { hashRequest, IdempotencyService } from '../../common/idempotency/idempotency.service';
import { Environment } from '../../config/environment';
import { INITIAL_CAMPAIGN_STATUS, moveCampaign } from '../campaigns/campaign-status';
import { CampaignStep } from '../campaigns/campaign-step.entity';
import { Campaign, type CampaignSettings } from '../campaigns/campaign.entity';
import { staleAfterSeconds } from '../lease/lease-policy.util';
import { enrollChunk } from '../messages/message-status';
import { OutboxDispatcher } from '../outbox/outbox.dispatcher';
import { startRunsIfIdle } from '../scheduling/run-starter';
import { Template } from '../templates/template.entity';
import { Conversation } from './conversation.entity';
import { moveConversations } from './conversation-status';
import type { ReplyDto } from './conversations.dto';
import type { ConversationReplyResponse } from './conversations.responses';
import { whatsappWindow } from './whatsapp-window';

/** Channels an inbox reply can be written on (WhatsApp only inside the 24-hour customer-service window). */
const REPLYABLE = new Set(['email', 'sms', 'whatsapp']);

/**
 * Liquid would read `{{` and `{%` in what a person typed; every `{` becomes `{{ "{" }}` so the text is
 * sent as written, and `readableReply` undoes it for the thread.
 */
export const asLiquidLiteral = (text: string) => text.replace(/\{/g, '{{ "{" }}');
export const readableReply = (stored: string) => stored.replaceAll('{{ "{" }}', '{');

/**
 * The reply composer. An answer goes out exactly like a campaign message, through the same spine
 * (lease → n8n → provider → report): it is a one-recipient campaign of type `reply` (hidden from the
 * campaign lists) with a one-off template, created, launched and enrolled in one transaction, so quota,
 * compliance (suppressions, consent), the sending mark, crash rules and status callbacks apply unchanged.
 * An email answer threads on the lead's latest email (In-Reply-To, References, Gmail thread).
 */
@Injectable()
export class ConversationReplyService {
  private readonly logger = new Logger('ConversationReply');

  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxDispatcher,
    private readonly env: Environment,
  ) {}

  async reply(
    organizationId: string,
    conversationId: string,
    input: ReplyDto,
    idempotencyKey: string | undefined,
  ): Promise<{ statusCode: number; body: ConversationReplyResponse }> {
    const work = (m: EntityManager) => this.replyIn(m, organizationId, conversationId, input);
    const answer = idempotencyKey
      ? await this.idempotency.run(organizationId, `conversation-reply:${conversationId}`, idempotencyKey, hashRequest(input), work)
      : await this.dataSource.transaction(work);
    void this.outbox.dispatchDue().catch((error: unknown) => this.logger.warn(`dispatch after reply failed: ${String(error)}`));
    return answer;
  }

  private async replyIn(m: EntityManager, organizationId: string, id: string, input: ReplyDto) {
    const conversation = await m.findOne(Conversation, { where: { organizationId, id }, lock: { mode: 'pessimistic_write' } });
    if (!conversation) throw new AppError('conversation_not_found', `No conversation ${id}`);
    if (!conversation.leadId) throw notReplyable('no lead has this address; add it as a lead to answer');
    if (!REPLYABLE.has(conversation.channel)) throw notReplyable(`answers on ${conversation.channel} are not supported yet`);
    const senderTable = conversation.senderKind === 'channel' ? 'channel_connections' : 'email_accounts';
    const [sender] = await m.query<unknown[]>(`SELECT 1 FROM ${senderTable} WHERE id = $1 AND organization_id = $2`, [
      conversation.senderId,
      organizationId,
    ]);
    if (!sender) throw notReplyable('the mailbox or number of this conversation was removed');

    // The answer goes where the lead wrote from: not to an address the lead has since changed to.
    const [lead]: Array<{ address: string | null }> = await m.query(
      `SELECT CASE WHEN $3 = 'email' THEN email ELSE phone END AS address FROM leads WHERE id = $1 AND organization_id = $2`,
      [conversation.leadId, organizationId, conversation.channel],
    );
    if (lead?.address !== conversation.address) throw notReplyable(`the lead's address is no longer ${conversation.address}`);
    if (conversation.channel === 'whatsapp') {
      if (input.text.length > WHATSAPP_TEXT_MAX_CHARS) {
        throw new AppError('validation_failed', `A WhatsApp text holds at most ${WHATSAPP_TEXT_MAX_CHARS} characters`, [
          { field: 'text', message: `at most ${WHATSAPP_TEXT_MAX_CHARS} characters on WhatsApp` },
        ]);
      }
      const { closesAt, open } = await whatsappWindow(m, organizationId, conversation.id);
      if (!open) {
        throw new AppError(
          'whatsapp_window_closed',
          closesAt
            ? `The 24-hour window for free-form WhatsApp messages closed at ${closesAt.toISOString()} (24 hours after the lead's last message): only an approved template can be sent now`
            : 'The lead has not written on WhatsApp: only an approved template can be sent until they do',
        );
      }
    }

    const email = conversation.channel === 'email';
    const subject = input.subject ?? (conversation.subject ? `Re: ${conversation.subject.replace(/^re:\s*/i, '')}` : 'Re:');
    const template = await m.save(
      m.create(Template, {
        organizationId,
        name: `Reply to ${conversation.address}`,
        channel: conversation.channel as 'email' | 'sms' | 'whatsapp',
        oneOff: true,
        subject: email ? asLiquidLiteral(subject) : null,
        text: email ? asLiquidLiteral(input.text) : null,
        body: email ? null : asLiquidLiteral(input.text),
      }),
    );
    const settings: CampaignSettings = email ? { replyThreading: await this.threading(m, conversation) } : {};
    const campaign = await m.save(
      m.create(Campaign, {
        organizationId,
        name: `Reply to ${conversation.address}`,
        type: 'reply',
        status: INITIAL_CAMPAIGN_STATUS,
        senderChannelId: conversation.senderKind === 'channel' ? conversation.senderId : null,
        senderEmailAccountId: conversation.senderKind === 'email_account' ? conversation.senderId : null,
        audience: { leadIds: [conversation.leadId] },
        settings,
        conversationId: conversation.id,
      }),
    );
    await m.save(
      m.create(CampaignStep, {
        organizationId,
        campaignId: campaign.id,
        position: 0,
        channel: conversation.channel as 'email' | 'sms' | 'whatsapp',
        templateId: template.id,
        delaySeconds: 0,
        condition: null,
        senderChannelId: null,
        senderEmailAccountId: null,
      }),
    );
    const { moved } = await moveCampaign(m, campaign.id, 'launch');
    if (!moved) throw new Error('a new reply campaign could not be launched');
    // Enrolled here rather than by the materializer: the answer is in the thread at once, with its status.
    await enrollChunk(
      m,
      'SELECT id, email, phone FROM leads WHERE id = $1 AND organization_id = $2',
      [conversation.leadId, organizationId],
      organizationId,
      campaign.id,
    );
    await m.query('UPDATE campaigns SET audience_size = 1, materialized_at = clock_timestamp() WHERE id = $1', [campaign.id]);
    const [message]: Array<{ id: string; status: string; skip_reason: string | null }> = await m.query(
      'SELECT id, status, skip_reason FROM messages WHERE campaign_id = $1',
      [campaign.id],
    );
    if (message.status === 'queued') await startRunsIfIdle(m, campaign.id, staleAfterSeconds(this.env.LEASE_TTL_SECONDS));
    await moveConversations(m, [conversation.id], 'answered');
    await m.query('UPDATE conversations SET last_activity_at = greatest(last_activity_at, clock_timestamp()) WHERE id = $1', [
      conversation.id,
    ]);
    this.logger.log(`reply ${message.id} queued for conversation ${conversation.id} (campaign ${campaign.id})`);
    return {
      statusCode: 201,
      body: { messageId: message.id, campaignId: campaign.id, status: message.status, skipReason: message.skip_reason },
    };
  }

  /** The lead's latest email in this conversation that carries a Message-ID: the answer goes into its thread. */
  private async threading(m: EntityManager, conversation: Conversation): Promise<NonNullable<CampaignSettings['replyThreading']>> {
    const [last]: Array<{ payload: { rfcMessageId?: string; references?: string; providerThreadId?: string } }> = await m.query(
      `SELECT payload FROM message_events WHERE conversation_id = $1 AND organization_id = $2 AND payload ->> 'rfcMessageId' IS NOT NULL
        ORDER BY occurred_at DESC LIMIT 1`,
      [conversation.id, conversation.organizationId],
    );
    if (!last) return { inReplyTo: null, references: [], threadId: null };
    const earlier = (last.payload.references ?? '').split(/\s+/).filter(Boolean);
    const inReplyTo = String(last.payload.rfcMessageId);
    return {
      inReplyTo,
      references: [...earlier.filter((r) => r !== inReplyTo), inReplyTo].slice(-20),
      threadId: last.payload.providerThreadId ?? null,
    };
  }
}

const notReplyable = (why: string) => new AppError('conversation_not_replyable', `This conversation cannot be answered: ${why}`);
