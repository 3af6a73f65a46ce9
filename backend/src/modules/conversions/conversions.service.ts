import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { trimDecimal } from '../../common/money/decimal';
import { hashRequest, IdempotencyService } from '../../common/idempotency/idempotency.service';
import { paginate } from '../../common/pagination/paginate';
import { Page } from '../../common/pagination/cursor';
import { attribute } from './attribution';
import { Conversion } from './conversion.entity';
import { ConversionInputDto } from './conversions.dto';
import { assertOneLeadRef, findLeadId } from '../leads/lead-ref.dto';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const FUTURE_SLACK_MS = 86_400_000;

export function presentConversion(c: Conversion) {
  return {
    id: c.id,
    leadId: c.leadId,
    name: c.name,
    value: trimDecimal(String(c.value)),
    currency: c.currency,
    occurredAt: c.occurredAt.toISOString(),
    attribution:
      c.campaignId && c.messageId && c.attributedBy
        ? { campaignId: c.campaignId, messageId: c.messageId, stepId: c.stepId, channel: c.channel, by: c.attributedBy }
        : null,
    createdAt: c.createdAt.toISOString(),
  };
}
export type ConversionView = ReturnType<typeof presentConversion>;

@Injectable()
export class ConversionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** Records a conversion once per idempotency key (body field or header), attributed at once. */
  async record(
    organizationId: string,
    input: ConversionInputDto,
    headerKey?: string,
  ): Promise<{ statusCode: number; body: ConversionView }> {
    assertOneLeadRef(input);
    const currency = input.currency.toUpperCase();
    if (!CURRENCIES.has(currency)) throw new AppError('validation_failed', `currency ${input.currency} is not an ISO 4217 code`);
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : new Date();
    if (occurredAt.getTime() > Date.now() + FUTURE_SLACK_MS) throw new AppError('validation_failed', 'occurredAt is more than a day ahead');
    const key = input.idempotencyKey ?? headerKey;
    const work = async (m: EntityManager) => ({
      statusCode: 201,
      body: presentConversion(await this.insert(m, organizationId, { ...input, currency }, occurredAt)),
    });
    if (!key) return this.dataSource.transaction(work);
    const { idempotencyKey: _ignored, ...request } = { ...input, currency };
    const answer = await this.idempotency.run(organizationId, 'conversions', key, hashRequest(request), work);
    return { statusCode: answer.statusCode, body: answer.body };
  }

  private async insert(m: EntityManager, organizationId: string, input: ConversionInputDto, occurredAt: Date): Promise<Conversion> {
    const leadId = await findLeadId(m, organizationId, input);
    const attribution = await attribute(m, organizationId, leadId, occurredAt);
    const conversion = m.create(Conversion, {
      organizationId,
      leadId,
      name: input.name,
      value: String(input.value),
      currency: input.currency,
      occurredAt,
      campaignId: attribution?.campaignId ?? null,
      messageId: attribution?.messageId ?? null,
      stepId: attribution?.stepId ?? null,
      channel: attribution?.channel ?? null,
      attributedBy: attribution?.by ?? null,
    });
    const saved = await m.save(conversion);
    return m.findOneByOrFail(Conversion, { id: saved.id });
  }

  list(organizationId: string, campaignId: string | undefined, cursor: string | undefined, limit: number): Promise<Page<Conversion>> {
    const qb = this.dataSource
      .getRepository(Conversion)
      .createQueryBuilder('c')
      .where('c.organization_id = :organizationId', { organizationId });
    if (campaignId) qb.andWhere('c.campaign_id = :campaignId', { campaignId });
    return paginate(qb, 'c', cursor, limit);
  }
}
