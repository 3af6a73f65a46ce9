import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { MESSAGE_STATUSES, MessageStatus } from '../messages/message-status';
import { Campaign, CampaignStatus } from './campaign.entity';

export type StatusCounts = Record<MessageStatus, number> & { total: number };

export interface ProgressSnapshot {
  status: CampaignStatus;
  statusReason: string | null;
  audienceSize: number;
  materialized: boolean;
  counts: StatusCounts;
}

/** Live counters from the trigger-maintained deltas: a few rows summed, however large the campaign. */
@Injectable()
export class CampaignProgressService {
  constructor(private readonly dataSource: DataSource) {}

  async counts(campaignId: string): Promise<StatusCounts> {
    const rows: Array<{ status: MessageStatus; n: string }> = await this.dataSource.query(
      'SELECT status, sum(delta) AS n FROM campaign_status_counts WHERE campaign_id = $1 GROUP BY status',
      [campaignId],
    );
    const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as StatusCounts;
    counts.total = 0;
    for (const r of rows) {
      counts[r.status] = Number(r.n);
      counts.total += Number(r.n);
    }
    return counts;
  }

  async snapshot(organizationId: string, campaignId: string): Promise<ProgressSnapshot> {
    const campaign = await this.dataSource.getRepository(Campaign).findOne({
      select: { id: true, status: true, statusReason: true, audienceSize: true, materializedAt: true },
      where: { id: campaignId, organizationId },
    });
    if (!campaign) throw new AppError('campaign_not_found', `No campaign ${campaignId}`);
    return {
      status: campaign.status,
      statusReason: campaign.statusReason,
      audienceSize: campaign.audienceSize,
      materialized: campaign.materializedAt !== null,
      counts: await this.counts(campaignId),
    };
  }

  /** Folds a campaign's delta rows into one per status; rows written concurrently are not in the snapshot and stay. */
  async compact(campaignId: string): Promise<void> {
    await this.dataSource.query(
      `WITH d AS (DELETE FROM campaign_status_counts WHERE campaign_id = $1 RETURNING status, delta)
       INSERT INTO campaign_status_counts (campaign_id, status, delta)
         SELECT $1, status, sum(delta) FROM d GROUP BY status HAVING sum(delta) <> 0`,
      [campaignId],
    );
  }
}
