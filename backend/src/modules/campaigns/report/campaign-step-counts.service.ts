import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MESSAGE_STATUSES, MessageStatus } from '../../messages/message-status';
import { StatusCounts } from '../campaign-progress.service';

export interface StepCounts {
  stepId: string;
  position: number;
  channel: string;
  counts: StatusCounts;
}

const emptyCounts = (): StatusCounts => ({
  ...(Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as Record<MessageStatus, number>),
  total: 0,
});

/**
 * A sequence's messages counted per step and status: one GROUP BY over the campaign's rows. Steps
 * without messages yet (the audience not enrolled, later steps not reached) show zeros.
 */
@Injectable()
export class CampaignStepCountsService {
  constructor(private readonly dataSource: DataSource) {}

  async byStep(organizationId: string, campaignId: string): Promise<StepCounts[]> {
    const [steps, rows] = await Promise.all([
      this.dataSource.query<Array<{ id: string; position: number; channel: string }>>(
        'SELECT id, position, channel FROM campaign_steps WHERE organization_id = $1 AND campaign_id = $2 ORDER BY position',
        [organizationId, campaignId],
      ),
      this.dataSource.query<Array<{ step_id: string; status: MessageStatus; n: string | number }>>(
        'SELECT step_id, status, count(*) AS n FROM messages WHERE organization_id = $1 AND campaign_id = $2 GROUP BY step_id, status',
        [organizationId, campaignId],
      ),
    ]);
    const result = steps.map((s) => ({ stepId: s.id, position: s.position, channel: s.channel, counts: emptyCounts() }));
    const byId = new Map(result.map((s) => [s.stepId, s]));
    for (const r of rows) {
      const step = byId.get(r.step_id);
      if (!step) continue;
      step.counts[r.status] += Number(r.n);
      step.counts.total += Number(r.n);
    }
    return result;
  }
}
