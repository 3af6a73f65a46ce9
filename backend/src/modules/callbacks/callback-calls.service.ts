import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthContext } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { hashRequest, IdempotencyService } from '../../common/idempotency/idempotency.service';
import { Environment } from '../../config/environment';
import { INITIAL_CAMPAIGN_STATUS, moveCampaign } from '../campaigns/campaign-status';
import { CampaignStep } from '../campaigns/campaign-step.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { asLiquidLiteral } from '../conversations/conversation-reply.service';
import { complianceSkipReasonSql } from '../lease/compliance.sql';
import { staleAfterSeconds } from '../lease/lease-policy.util';
import { enrollChunk } from '../messages/message-status';
import { OutboxDispatcher } from '../outbox/outbox.dispatcher';
import { startRunsIfIdle } from '../scheduling/run-starter';
import { Template } from '../templates/template.entity';
import { publicUrl } from '../tracking/public-url';
import { logActivity } from './callback-creation';
import { moveCallback, type CallbackStatus } from './callback-status';
import type { CallbackDetailResponse } from './callbacks.responses';
import { CallbacksService } from './callbacks.service';

/** A started attempt that has had no final report for this long no longer blocks a new one (a lost webhook). */
const IN_FLIGHT_MINUTES = 15;
const CALLABLE: readonly CallbackStatus[] = ['pending', 'assigned', 'in_progress', 'no_answer'];

/**
 * "Call now": an agent calls a lead back from a callback request. Twilio rings the agent's phone first and,
 * once the agent answers, `<Dial>`s the lead from the channel's number. Like an inbox reply, the call is
 * a one-message campaign of type `reply` (a one-off voice template in `bridge` mode) so that n8n places
 * it through the same spine: quota, compliance on the lead's number, the sending mark, crash rules and
 * status callbacks apply unchanged. The campaign's `bridgeTo` makes the lease hand the agent's number as
 * the call's recipient; the lead stays the message's lead.
 */
@Injectable()
export class CallbackCallsService {
  private readonly logger = new Logger('CallbackCalls');

  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxDispatcher,
    private readonly env: Environment,
    private readonly callbacks: CallbacksService,
  ) {}

  async callNow(
    caller: AuthContext,
    id: string,
    idempotencyKey: string | undefined,
  ): Promise<{ statusCode: number; body: CallbackDetailResponse }> {
    const work = async (m: EntityManager) => {
      await this.callIn(m, caller, id);
      return { statusCode: 201, body: await this.callbacks.detail(caller.organizationId, id, m) };
    };
    const answer = idempotencyKey
      ? await this.idempotency.run(caller.organizationId, `callback-call:${id}`, idempotencyKey, hashRequest({ id }), work)
      : await this.dataSource.transaction(work);
    void this.outbox.dispatchDue().catch((error: unknown) => this.logger.warn(`dispatch after call now failed: ${String(error)}`));
    return answer;
  }

  private async callIn(m: EntityManager, caller: AuthContext, id: string): Promise<void> {
    const organizationId = caller.organizationId;
    const [request]: Array<{
      status: CallbackStatus;
      assignee_user_id: string | null;
      lead_id: string | null;
      channel: string;
      address: string;
    }> = await m.query(
      'SELECT status, assignee_user_id, lead_id, channel, address FROM callback_requests WHERE organization_id = $1 AND id = $2 FOR UPDATE',
      [organizationId, id],
    );
    if (!request) throw new AppError('callback_not_found', `No callback request ${id}`);
    if (!CALLABLE.includes(request.status))
      throw new AppError('callback_invalid_transition', `A ${request.status} callback request cannot be called`);

    // The agent: the signed-in member, or for a program (an API key) the member the request is assigned to.
    const agentId = caller.userId ?? request.assignee_user_id;
    if (!agentId)
      throw new AppError('agent_phone_missing', 'Nobody to ring: an API key can only call for the member the request is assigned to');
    const [agent]: Array<{ email: string; phone: string | null }> = await m.query(
      'SELECT email, phone FROM users WHERE id = $1 AND organization_id = $2',
      [agentId, organizationId],
    );
    if (!agent?.phone)
      throw new AppError(
        'agent_phone_missing',
        `${agent?.email ?? 'The agent'} has no phone number: add one in Settings (PUT /users/me/phone)`,
      );

    const [channel]: Array<{ id: string; from: string }> = await m.query(
      `SELECT id, config ->> 'from' AS from FROM channel_connections
        WHERE organization_id = $1 AND type = 'twilio' AND config ->> 'from' LIKE '+%' ORDER BY created_at, id LIMIT 1`,
      [organizationId],
    );
    if (!channel)
      throw new AppError('voice_channel_missing', 'The organization has no Twilio channel with a number (config.from) to call from');

    const [inFlight] = await m.query<unknown[]>(
      `SELECT 1 FROM callback_calls WHERE callback_request_id = $1 AND status = 'calling'
          AND created_at > clock_timestamp() - make_interval(mins => $2)`,
      [id, IN_FLIGHT_MINUTES],
    );
    if (inFlight) throw new AppError('callback_call_in_progress', 'A call for this request is still going on');

    const [lead]: Array<{ id: string; phone: string | null; first_name: string | null; compliance: string | null }> = request.lead_id
      ? await m.query(
          `SELECT l.id, l.phone, l.first_name, ${complianceSkipReasonSql('l.organization_id', `'voice'`, 'l')} AS compliance
             FROM leads l WHERE l.id = $1 AND l.organization_id = $2`,
          [request.lead_id, organizationId],
        )
      : [];
    if (!lead) throw new AppError('callback_not_callable', 'The request has no lead to call (the lead was deleted or never known)');
    // Compliance is the lead's: their number must be sendable on voice (not suppressed, consent given).
    if (lead.compliance) throw new AppError('callback_not_callable', `The lead cannot be called: ${lead.compliance}`);
    const leadPhone = request.channel !== 'email' && request.address.startsWith('+') ? request.address : lead.phone!;

    const actor = await this.callbacks.actor(m, caller);
    if (request.assignee_user_id !== agentId) {
      await m.query('UPDATE callback_requests SET assignee_user_id = $2, updated_at = clock_timestamp() WHERE id = $1', [id, agentId]);
      await moveCallback(m, id, 'assign');
      await logActivity(m, organizationId, id, {
        kind: 'assigned',
        ...actor,
        summary: `Assigned to ${agent.email} (calling now)`,
        details: { assigneeId: agentId, roundRobin: false, from: request.status },
      });
      request.status = 'assigned';
    }
    if (request.status !== 'in_progress') {
      // A no_answer request, still assigned to this agent, is reopened for the new try.
      if (request.status === 'no_answer') await moveCallback(m, id, 'assign');
      await moveCallback(m, id, 'start');
      await logActivity(m, organizationId, id, {
        kind: 'status',
        ...actor,
        summary: `${request.status} → in_progress (calling now)`,
        details: { from: request.status, to: 'in_progress', event: 'start' },
      });
    }

    const [call]: Array<{ id: string }> = await m.query(
      `INSERT INTO callback_calls (organization_id, callback_request_id, agent_user_id, agent_phone, lead_phone, channel_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [organizationId, id, agentId, agent.phone, leadPhone, channel.id],
    );
    const messageId = await this.enqueueBridge(m, organizationId, {
      callId: call.id,
      channelId: channel.id,
      callerId: channel.from,
      agentPhone: agent.phone,
      leadId: lead.id,
      leadPhone,
      leadName: lead.first_name,
    });
    await m.query('UPDATE callback_calls SET message_id = $2 WHERE id = $1', [call.id, messageId]);
    await logActivity(m, organizationId, id, {
      kind: 'call_started',
      ...actor,
      summary: `Calling ${agent.email} on ${agent.phone}, then the lead on ${leadPhone}`,
      details: { callId: call.id, messageId, agentPhone: agent.phone, leadPhone, channelId: channel.id },
    });
  }

  /** The one-message campaign that places the bridge call; answers the message's id. */
  private async enqueueBridge(
    m: EntityManager,
    organizationId: string,
    b: {
      callId: string;
      channelId: string;
      callerId: string;
      agentPhone: string;
      leadId: string;
      leadPhone: string;
      leadName: string | null;
    },
  ): Promise<string> {
    const name = `Call now to ${b.leadPhone}`;
    const template = await m.save(
      m.create(Template, {
        organizationId,
        name,
        channel: 'voice',
        oneOff: true,
        voice: {
          mode: 'bridge',
          script: asLiquidLiteral(`Connecting you to ${b.leadName ?? b.leadPhone}.`),
          dial: b.leadPhone,
          callerId: b.callerId,
          dialActionUrl: `${publicUrl(this.env)}/webhooks/twilio/${b.channelId}/dial?cadenceCallId=${b.callId}`,
        },
      }),
    );
    const campaign = await m.save(
      m.create(Campaign, {
        organizationId,
        name,
        type: 'reply',
        status: INITIAL_CAMPAIGN_STATUS,
        senderChannelId: b.channelId,
        senderEmailAccountId: null,
        audience: { leadIds: [b.leadId] },
        settings: { bridgeTo: b.agentPhone },
        conversationId: null,
      }),
    );
    await m.save(
      m.create(CampaignStep, {
        organizationId,
        campaignId: campaign.id,
        position: 0,
        channel: 'voice',
        templateId: template.id,
        delaySeconds: 0,
        condition: null,
        senderChannelId: null,
        senderEmailAccountId: null,
      }),
    );
    const { moved } = await moveCampaign(m, campaign.id, 'launch');
    if (!moved) throw new Error('a new call-now campaign could not be launched');
    await enrollChunk(
      m,
      'SELECT id, email, phone FROM leads WHERE id = $1 AND organization_id = $2',
      [b.leadId, organizationId],
      organizationId,
      campaign.id,
    );
    await m.query('UPDATE campaigns SET audience_size = 1, materialized_at = clock_timestamp() WHERE id = $1', [campaign.id]);
    const [message]: Array<{ id: string; status: string; skip_reason: string | null }> = await m.query(
      'SELECT id, status, skip_reason FROM messages WHERE campaign_id = $1',
      [campaign.id],
    );
    if (message?.status !== 'queued')
      throw new AppError('callback_not_callable', `The lead cannot be called: ${message?.skip_reason ?? 'not enrolled'}`);
    await startRunsIfIdle(m, campaign.id, staleAfterSeconds(this.env.LEASE_TTL_SECONDS));
    this.logger.log(`call now ${b.callId}: message ${message.id} queued (campaign ${campaign.id})`);
    return message.id;
  }
}
