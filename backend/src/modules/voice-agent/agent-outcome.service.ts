import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { createCallback } from '../callbacks/callback-creation';
import { isBoundToken, TrackingTokens } from '../tracking/tracking-tokens';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';
import { AgentOutcomeDto } from './agent-outcome.dto';

const DEFAULT_SUMMARY = {
  interested: 'The lead is interested',
  call_back: 'The lead asked to be called back',
  not_interested: 'The lead is not interested',
} as const;

/**
 * A voice agent's report of how a call went: recorded once per call as the message's `agent_outcome`
 * event (the campaign's statistics count them), and `call_back` hands the lead to a person (a callback
 * request, source `agent_call_back`). The URL's token (purpose `agent`, signed at lease) is the
 * authentication: it names the one message the agent may report on.
 */
@Injectable()
export class AgentOutcomeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TrackingTokens,
    private readonly recorder: MessageEventRecorder,
  ) {}

  async report(token: string, body: AgentOutcomeDto): Promise<{ recorded: boolean; callbackId: string | null }> {
    const messageId = isBoundToken(token) ? this.tokens.verify(token, 'agent') : undefined;
    if (!messageId) throw new AppError('invalid_signature', 'The outcome URL token does not verify');
    const [message]: Array<{ organization_id: string; lead_id: string | null; to_address: string | null }> = await this.dataSource.query(
      `SELECT organization_id, lead_id, to_address FROM messages WHERE id = $1 AND channel = 'voice'`,
      [messageId],
    );
    if (!message) throw new AppError('not_found', 'The call this outcome is about no longer exists');
    const summary = body.summary?.trim() || DEFAULT_SUMMARY[body.outcome];
    const { recorded } = await this.recorder.record({
      organizationId: message.organization_id,
      messageId,
      source: 'agent',
      eventId: `${body.callSid ?? messageId}:outcome`,
      type: 'agent_outcome',
      occurredAt: new Date(),
      payload: { outcome: body.outcome, summary, ...(body.callSid && { callSid: body.callSid }) },
    });
    if (!recorded || body.outcome !== 'call_back' || !message.lead_id || !message.to_address) return { recorded, callbackId: null };
    const callback = await this.dataSource.transaction((m) =>
      createCallback(m, {
        organizationId: message.organization_id,
        leadId: message.lead_id,
        channel: 'voice',
        address: message.to_address!,
        reason: summary,
        source: 'agent_call_back',
        sourceMessageId: messageId,
        actorUserId: null,
        actorLabel: 'system',
      }),
    );
    return { recorded, callbackId: callback.id };
  }
}
