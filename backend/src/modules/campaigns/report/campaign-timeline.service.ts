import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../../common/errors/app-error';
import { Campaign } from '../campaign.entity';

export const TIMELINE_BUCKETS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type TimelineBucket = keyof typeof TIMELINE_BUCKETS;
/** At most this many buckets per answer: a long campaign viewed per minute shows its latest ones. */
export const MAX_TIMELINE_BUCKETS = 1440;

export interface TimelinePoint {
  t: string;
  sent: number;
  delivered: number;
  failed: number;
}

export interface Timeline {
  bucket: TimelineBucket;
  from: string;
  to: string;
  /** True when the campaign spans more buckets than one answer holds and the earliest were left out. */
  truncated: boolean;
  points: TimelinePoint[];
}

/**
 * Sends and outcomes over time, from the message log's own timestamps: `sent_at` for sends,
 * `delivered_at` for deliveries and the last change of a failed message for failures. One pass over the
 * campaign's rows (found through its campaign_id index), grouped in SQL by UTC bucket.
 */
@Injectable()
export class CampaignTimelineService {
  constructor(private readonly dataSource: DataSource) {}

  async timeline(organizationId: string, campaignId: string, bucket: TimelineBucket, now = new Date()): Promise<Timeline> {
    const campaign = await this.dataSource.getRepository(Campaign).findOne({
      select: { id: true, createdAt: true, launchedAt: true, completedAt: true },
      where: { id: campaignId, organizationId },
    });
    if (!campaign) throw new AppError('campaign_not_found', `No campaign ${campaignId}`);
    const size = TIMELINE_BUCKETS[bucket];
    const floor = (ms: number) => Math.floor(ms / size) * size;
    const last = floor((campaign.completedAt ?? now).getTime());
    const launched = floor((campaign.launchedAt ?? campaign.createdAt).getTime());
    const windowStart = last - (MAX_TIMELINE_BUCKETS - 1) * size;
    const truncated = launched < windowStart;
    const rows: Array<{ t: Date | string; sent: string | number; delivered: string | number; failed: string | number }> =
      await this.dataSource.query(
        `SELECT date_trunc($3, e.at, 'UTC') AS t,
                count(*) FILTER (WHERE e.kind = 1) AS sent,
                count(*) FILTER (WHERE e.kind = 2) AS delivered,
                count(*) FILTER (WHERE e.kind = 3) AS failed
           FROM messages m
           CROSS JOIN LATERAL (VALUES (m.sent_at, 1), (m.delivered_at, 2),
                                      (CASE WHEN m.status = 'failed' THEN m.updated_at END, 3)) AS e(at, kind)
          WHERE m.organization_id = $1 AND m.campaign_id = $2 AND e.at >= $4
          GROUP BY 1`,
        [organizationId, campaignId, bucket, new Date(windowStart)],
      );
    const byTime = new Map(rows.map((r) => [new Date(r.t).getTime(), r]));
    // From the launch (or the earliest event, for rows older than it) to the last bucket, within the window.
    const first = Math.max(windowStart, Math.min(launched, ...byTime.keys()));
    // Dense from the first bucket to the last (at most MAX_TIMELINE_BUCKETS), so a chart shows quiet periods as zero.
    const end = Math.max(last, ...byTime.keys());
    const points: TimelinePoint[] = [];
    for (let t = first; t <= end && points.length < MAX_TIMELINE_BUCKETS + 1; t += size) {
      const r = byTime.get(t);
      points.push({
        t: new Date(t).toISOString(),
        sent: Number(r?.sent ?? 0),
        delivered: Number(r?.delivered ?? 0),
        failed: Number(r?.failed ?? 0),
      });
    }
    return { bucket, from: new Date(first).toISOString(), to: new Date(end + size).toISOString(), truncated, points };
  }
}
