import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hashRequest, IdempotencyService } from '../../common/idempotency/idempotency.service';
import { AppError } from '../../common/errors/app-error';
import { DataSource } from 'typeorm';
import { OutboxDispatcher } from '../outbox/outbox.dispatcher';
import { Campaign } from './campaign.entity';
import { CAMPAIGN_TRANSITIONS, eventOrConflict, invalidTransition, moveCampaign } from './campaign-status';
import { CampaignCheckService } from './check/check.service';
import { assertWhatsappTemplatesSendable } from '../whatsapp-templates/whatsapp-launch-check';

export interface LaunchAnswer {
  id: string;
  status: string;
  launchedAt: string;
}

/**
 * Launch answers 202 at once whatever the audience: it only flips the status and writes a
 * `campaign.materialize` outbox event in the same transaction; enrollment and sending follow.
 */
@Injectable()
export class CampaignLaunchService {
  private readonly logger = new Logger('CampaignLaunch');

  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxDispatcher,
    private readonly checker: CampaignCheckService,
  ) {}

  async launch(
    organizationId: string,
    id: string,
    idempotencyKey: string | undefined,
  ): Promise<{ statusCode: number; body: LaunchAnswer }> {
    const work = (m: EntityManager) => this.launchIn(m, organizationId, id);
    const answer = idempotencyKey
      ? await this.idempotency.run(organizationId, `launch:${id}`, idempotencyKey, hashRequest({ id }), work)
      : await this.dataSource.transaction(work);
    // Start enrolling now rather than at the next scheduler tick.
    void this.outbox.dispatchDue().catch((error: unknown) => this.logger.warn(`dispatch after launch failed: ${String(error)}`));
    return answer;
  }

  private async launchIn(m: EntityManager, organizationId: string, id: string): Promise<{ statusCode: number; body: LaunchAnswer }> {
    const campaign = await m.findOne(Campaign, { where: { organizationId, id }, lock: { mode: 'pessimistic_write' } });
    if (!campaign || campaign.type === 'reply') throw new AppError('campaign_not_found', `No campaign ${id}`);
    // draft → active, or scheduled when its startAt is still to come.
    const event = eventOrConflict(campaign.status, 'launch', campaign.settings.startAt);
    // The WhatsApp problems keep their own codes (clients handle them); the rest of the check's blocking findings come as one.
    await assertWhatsappTemplatesSendable(m, organizationId, id);
    const blocking = await this.checker.blockingFindings(organizationId, id, m);
    if (blocking.length)
      throw new AppError(
        'campaign_check_failed',
        `The pre-launch check found ${blocking.length} blocking problem(s): ${blocking.map((f) => f.message).join('; ')}`,
        { blocking },
      );
    const { moved, launchedAt } = await moveCampaign(m, id, event);
    if (!moved) throw invalidTransition(campaign.status, 'launch');
    const status = CAMPAIGN_TRANSITIONS[event].to;
    await m.query(`INSERT INTO outbox (organization_id, kind, payload) VALUES ($1, 'campaign.materialize', $2)`, [
      organizationId,
      JSON.stringify({ campaignId: id }),
    ]);
    return { statusCode: 202, body: { id, status, launchedAt: launchedAt!.toISOString() } };
  }
}
