import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { addDecimal } from '../../common/money/decimal';
import { addMetric, Counts, emptyCounts, Rates, ratesOf } from './analytics-metrics';
import { Bucket } from './analytics-range';

export interface Breakdown extends Counts {
  rates: Rates;
}
export interface Revenue {
  currency: string;
  /** Decimal string: money is not a float. */
  amount: string;
}
export interface SeriesPoint extends Counts {
  at: string;
}
export interface Report {
  totals: Counts;
  rates: Rates;
  skippedByReason: Record<string, number>;
  revenue: Revenue[];
  channels: Array<{ channel: string } & Breakdown>;
  series: SeriesPoint[];
}
export interface CampaignReport extends Report {
  campaignId: string;
  bucket: Bucket;
  audienceSize: number;
  steps: Array<{ stepId: string; position: number; channel: string; templateId: string | null } & Breakdown>;
  templates: Array<{ templateId: string | null; templateName: string | null } & Breakdown>;
}
export interface OrganizationReport extends Report {
  from: string;
  to: string;
  bucket: Bucket;
  campaigns: Array<{ campaignId: string; name: string } & Breakdown>;
}

type Row = { metric: string; n: string };

/** SQL for the start of a row's bucket: hours are stored; days are derived from them (UTC). */
function bucketSql(bucket: Bucket, column: string): string {
  if (bucket === 'day') return `date_trunc('day', ${column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
  // The rollup's own column is an hour already.
  return column === 'bucket' ? column : `analytics_hour(${column})`;
}

/**
 * Reads the rollups (campaign_analytics_deltas, kept by triggers) and the conversions table: a campaign of a
 * million messages is a few thousand rollup rows, however its events arrived.
 */
@Injectable()
export class AnalyticsService {
  constructor(private readonly dataSource: DataSource) {}

  async campaign(organizationId: string, campaignId: string, bucket: Bucket): Promise<CampaignReport> {
    const [campaign]: Array<{ audience_size: number }> = await this.dataSource.query(
      'SELECT audience_size FROM campaigns WHERE id = $1 AND organization_id = $2',
      [campaignId, organizationId],
    );
    if (!campaign) throw new AppError('campaign_not_found', `No campaign ${campaignId}`);
    const b = bucketSql(bucket, 'bucket');
    const [byStep, bySeries, conversions, convSeries, steps] = await Promise.all([
      this.dataSource.query<Array<Row & { step_id: string; channel: string }>>(
        `SELECT step_id, channel, metric, sum(delta) AS n FROM campaign_analytics_deltas WHERE campaign_id = $1 GROUP BY step_id, channel, metric`,
        [campaignId],
      ),
      this.dataSource.query<Array<Row & { at: Date }>>(
        `SELECT ${b} AS at, metric, sum(delta) AS n FROM campaign_analytics_deltas WHERE campaign_id = $1 GROUP BY 1, metric ORDER BY 1`,
        [campaignId],
      ),
      this.dataSource.query<Array<{ step_id: string | null; channel: string | null; currency: string; n: string; amount: string }>>(
        `SELECT step_id, channel, currency, count(*) AS n, sum(value)::text AS amount FROM conversions
          WHERE campaign_id = $1 AND organization_id = $2 GROUP BY step_id, channel, currency`,
        [campaignId, organizationId],
      ),
      this.dataSource.query<Array<{ at: Date; n: string }>>(
        `SELECT ${bucketSql(bucket, 'occurred_at')} AS at, count(*) AS n FROM conversions WHERE campaign_id = $1 AND organization_id = $2 GROUP BY 1`,
        [campaignId, organizationId],
      ),
      this.dataSource.query<
        Array<{ id: string; position: number; channel: string; template_id: string | null; template_name: string | null }>
      >(
        `SELECT s.id, s.position, s.channel, s.template_id, t.name AS template_name FROM campaign_steps s
           LEFT JOIN templates t ON t.id = s.template_id WHERE s.campaign_id = $1 ORDER BY s.position`,
        [campaignId],
      ),
    ]);

    const totals = emptyCounts();
    const skippedByReason: Record<string, number> = {};
    const perStep = new Map<string, Counts>();
    const perChannel = new Map<string, Counts>();
    const at = <K>(map: Map<K, Counts>, key: K) => map.get(key) ?? map.set(key, emptyCounts()).get(key)!;
    for (const r of byStep) {
      const n = Number(r.n);
      addMetric(totals, r.metric, n, skippedByReason);
      addMetric(at(perStep, r.step_id), r.metric, n);
      addMetric(at(perChannel, r.channel), r.metric, n);
    }
    const revenue = new Map<string, Revenue>();
    for (const c of conversions) {
      const n = Number(c.n);
      totals.conversions += n;
      if (c.step_id) at(perStep, c.step_id).conversions += n;
      if (c.channel) at(perChannel, c.channel).conversions += n;
      revenue.set(c.currency, { currency: c.currency, amount: addDecimal(revenue.get(c.currency)?.amount ?? '0', c.amount) });
    }
    const perTemplate = new Map<string | null, { name: string | null; counts: Counts }>();
    for (const s of steps) {
      const t = perTemplate.get(s.template_id) ?? { name: s.template_name, counts: emptyCounts() };
      const counts = perStep.get(s.id);
      if (counts) for (const k of Object.keys(counts) as Array<keyof Counts>) t.counts[k] += counts[k];
      perTemplate.set(s.template_id, t);
    }
    return {
      campaignId,
      bucket,
      audienceSize: campaign.audience_size,
      totals,
      rates: ratesOf(totals),
      skippedByReason,
      revenue: sortedRevenue(revenue),
      steps: steps.map((s) => ({
        stepId: s.id,
        position: s.position,
        channel: s.channel,
        templateId: s.template_id,
        ...breakdown(perStep.get(s.id) ?? emptyCounts()),
      })),
      channels: [...perChannel].map(([channel, counts]) => ({ channel, ...breakdown(counts) })),
      templates: [...perTemplate].map(([templateId, t]) => ({ templateId, templateName: t.name, ...breakdown(t.counts) })),
      series: series(bySeries, convSeries),
    };
  }

  async organization(organizationId: string, from: Date, to: Date, bucket: Bucket): Promise<OrganizationReport> {
    // Rollup rows are per hour: a range covers the hours that start within it.
    const range = [organizationId, from.toISOString(), to.toISOString()];
    const within = 'organization_id = $1 AND bucket >= analytics_hour($2::timestamptz) AND bucket < $3::timestamptz';
    const convWithin = 'organization_id = $1 AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz';
    const [byCampaign, bySeries, conversions, convSeries] = await Promise.all([
      this.dataSource.query<Array<Row & { campaign_id: string; channel: string }>>(
        `SELECT campaign_id, channel, metric, sum(delta) AS n FROM campaign_analytics_deltas WHERE ${within} GROUP BY campaign_id, channel, metric`,
        range,
      ),
      this.dataSource.query<Array<Row & { at: Date }>>(
        `SELECT ${bucketSql(bucket, 'bucket')} AS at, metric, sum(delta) AS n FROM campaign_analytics_deltas WHERE ${within} GROUP BY 1, metric ORDER BY 1`,
        range,
      ),
      this.dataSource.query<Array<{ campaign_id: string | null; channel: string | null; currency: string; n: string; amount: string }>>(
        `SELECT campaign_id, channel, currency, count(*) AS n, sum(value)::text AS amount FROM conversions WHERE ${convWithin}
          GROUP BY campaign_id, channel, currency`,
        range,
      ),
      this.dataSource.query<Array<{ at: Date; n: string }>>(
        `SELECT ${bucketSql(bucket, 'occurred_at')} AS at, count(*) AS n FROM conversions WHERE ${convWithin} GROUP BY 1`,
        range,
      ),
    ]);
    const totals = emptyCounts();
    const skippedByReason: Record<string, number> = {};
    const perCampaign = new Map<string, Counts>();
    const perChannel = new Map<string, Counts>();
    const at = <K>(map: Map<K, Counts>, key: K) => map.get(key) ?? map.set(key, emptyCounts()).get(key)!;
    for (const r of byCampaign) {
      const n = Number(r.n);
      addMetric(totals, r.metric, n, skippedByReason);
      addMetric(at(perCampaign, r.campaign_id), r.metric, n);
      addMetric(at(perChannel, r.channel), r.metric, n);
    }
    const revenue = new Map<string, Revenue>();
    for (const c of conversions) {
      const n = Number(c.n);
      totals.conversions += n;
      if (c.campaign_id) at(perCampaign, c.campaign_id).conversions += n;
      if (c.channel) at(perChannel, c.channel).conversions += n;
      revenue.set(c.currency, { currency: c.currency, amount: addDecimal(revenue.get(c.currency)?.amount ?? '0', c.amount) });
    }
    const names: Array<{ id: string; name: string }> = perCampaign.size
      ? await this.dataSource.query('SELECT id, name FROM campaigns WHERE organization_id = $1 AND id = ANY($2::uuid[])', [
          organizationId,
          [...perCampaign.keys()],
        ])
      : [];
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bucket,
      totals,
      rates: ratesOf(totals),
      skippedByReason,
      revenue: sortedRevenue(revenue),
      // A deleted campaign's rollups go with it; its conversions stay, unattributed to any campaign listed here.
      campaigns: [...perCampaign]
        .filter(([id]) => nameOf.has(id))
        .map(([campaignId, counts]) => ({ campaignId, name: nameOf.get(campaignId)!, ...breakdown(counts) }))
        .sort((a, b) => b.sent - a.sent || a.name.localeCompare(b.name)),
      channels: [...perChannel].map(([channel, counts]) => ({ channel, ...breakdown(counts) })),
      series: series(bySeries, convSeries),
    };
  }
}

function sortedRevenue(revenue: Map<string, Revenue>): Revenue[] {
  return [...revenue.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

function breakdown(counts: Counts): Breakdown {
  return { ...counts, rates: ratesOf(counts) };
}

function series(rows: Array<Row & { at: Date }>, conversions: Array<{ at: Date; n: string }>): SeriesPoint[] {
  const points = new Map<string, SeriesPoint>();
  const point = (at: Date) => {
    const key = new Date(at).toISOString();
    return points.get(key) ?? points.set(key, { at: key, ...emptyCounts() }).get(key)!;
  };
  for (const r of rows) addMetric(point(r.at), r.metric, Number(r.n));
  for (const c of conversions) point(c.at).conversions += Number(c.n);
  return [...points.values()].sort((a, b) => a.at.localeCompare(b.at));
}
