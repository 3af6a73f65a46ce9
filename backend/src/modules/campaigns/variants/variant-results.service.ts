import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../../common/errors/app-error';
import { Campaign } from '../campaign.entity';
import { CampaignStep } from '../campaign-step.entity';
import { comparedMetric } from './ab-test';
import { METRIC_COUNT, variantCounts } from './variant-counts';
import { significance } from './significance';
import type { CampaignVariantsResponse, StepVariantsResultResponse } from './variants.responses';

/** Results per A/B variant of a campaign's steps: sends, engagement, the compared rate and its significance. */
@Injectable()
export class VariantResultsService {
  constructor(private readonly dataSource: DataSource) {}

  async results(organizationId: string, campaignId: string): Promise<CampaignVariantsResponse> {
    const campaign = await this.dataSource
      .getRepository(Campaign)
      .findOne({ select: { id: true, type: true }, where: { organizationId, id: campaignId } });
    if (!campaign || campaign.type === 'reply') throw new AppError('campaign_not_found', `No campaign ${campaignId}`);
    const variants: Array<{ id: string; step_id: string; label: string; template_id: string; percent: number; template_name: string }> =
      await this.dataSource.query(
        `SELECT v.id, v.step_id, v.label, v.template_id, v.percent, t.name AS template_name
           FROM campaign_step_variants v JOIN campaign_steps s ON s.id = v.step_id JOIN templates t ON t.id = v.template_id
          WHERE v.organization_id = $1 AND s.campaign_id = $2 ORDER BY s.position, v.position`,
        [organizationId, campaignId],
      );
    const stepIds = [...new Set(variants.map((v) => v.step_id))];
    if (stepIds.length === 0) return { steps: [] };
    const steps = await this.dataSource
      .getRepository(CampaignStep)
      .find({ where: stepIds.map((id) => ({ id, organizationId })), order: { position: 'ASC' } });
    const counts = new Map((await variantCounts(this.dataSource, organizationId, campaignId, stepIds)).map((c) => [c.variantId, c]));
    const waiting: Array<{ step_id: string; n: string | number }> = await this.dataSource.query(
      `SELECT step_id, count(*) AS n FROM messages
        WHERE organization_id = $1 AND campaign_id = $2 AND step_id = ANY($3::uuid[]) AND variant_id IS NULL AND status = 'queued'
        GROUP BY step_id`,
      [organizationId, campaignId, stepIds],
    );
    const waitingOf = new Map(waiting.map((w) => [w.step_id, Number(w.n)]));
    return {
      steps: steps.map((step): StepVariantsResultResponse => {
        const metric = comparedMetric(step.channel, step.abTest);
        const key = METRIC_COUNT[metric];
        const rows = variants
          .filter((v) => v.step_id === step.id)
          .map((v) => {
            const c = counts.get(v.id);
            const sent = c?.sent ?? 0;
            const hits = Number(c?.[key] ?? 0);
            return {
              id: v.id,
              label: v.label as StepVariantsResultResponse['variants'][number]['label'],
              templateId: v.template_id,
              templateName: v.template_name,
              percent: v.percent,
              sent,
              delivered: c?.delivered ?? 0,
              opened: c?.opened ?? 0,
              clicked: c?.clicked ?? 0,
              replied: c?.replied ?? 0,
              converted: c?.converted ?? 0,
              rate: sent > 0 ? hits / sent : null,
              hits,
            };
          });
        const sig = significance(rows.map((r) => ({ id: r.id, success: r.hits, total: r.sent })));
        const started = step.testStartedAt ? new Date(step.testStartedAt).getTime() : null;
        return {
          position: step.position,
          stepId: step.id,
          abTest: step.abTest,
          status: !step.abTest ? 'split' : step.winnerVariantId ? 'decided' : 'testing',
          winnerVariantId: step.winnerVariantId,
          decidedAt: step.decidedAt ? new Date(step.decidedAt).toISOString() : null,
          decidesAt: step.abTest && started !== null ? new Date(started + step.abTest.decideAfterSeconds * 1000).toISOString() : null,
          waiting: waitingOf.get(step.id) ?? 0,
          variants: rows.map(({ hits: _hits, ...r }) => r),
          significance: sig && { metric, ...sig },
        };
      }),
    };
  }
}
