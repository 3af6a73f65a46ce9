import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { retryFailed } from '../messages/message-status';
import { isRetryable, providerErrorTitle, retryableCodes } from '../messages/provider-error-codes';
import { Campaign } from './campaign.entity';
import { reopenCampaign } from './campaign-status';

export interface RetryAnswer {
  /** Messages queued again. */
  retried: number;
  /** The failures left as they are, by error code: their error does not prove the recipient got nothing. */
  notRetried: Array<{ channel: string; errorCode: string | null; errorTitle: string | null; count: number }>;
  /** The campaign's status after the retry (a completed campaign is active again when something was retried). */
  status: string;
}

const RETRYABLE_FROM = ['active', 'paused', 'completed'];

/**
 * Retry of a blast's failed messages: only those whose error proves nothing reached the recipient
 * (messages/provider-error-codes.ts), each queued once more as its next attempt, the failed try kept in
 * message_attempts. Sequences are not retried: a lead's later steps were planned from the failed outcome.
 */
@Injectable()
export class CampaignRetryService {
  constructor(private readonly dataSource: DataSource) {}

  async retry(organizationId: string, id: string, onlyCodes: string[] | undefined): Promise<RetryAnswer> {
    return this.dataSource.transaction(async (m) => {
      const campaign = await m.findOne(Campaign, { where: { organizationId, id }, lock: { mode: 'pessimistic_write' } });
      if (!campaign || campaign.type === 'reply') throw new AppError('campaign_not_found', `No campaign ${id}`);
      if (campaign.type !== 'blast') throw new AppError('campaign_not_retryable', 'Only blast campaigns can retry failed messages');
      if (!RETRYABLE_FROM.includes(campaign.status))
        throw new AppError('campaign_not_retryable', `A ${campaign.status} campaign cannot retry; only active, paused or completed ones`);
      const failures: Array<{ channel: string; error_code: string | null; count: number }> = await m.query(
        `SELECT channel, error_code, count(*)::int AS count FROM messages
          WHERE organization_id = $1 AND campaign_id = $2 AND status = 'failed' GROUP BY channel, error_code ORDER BY count DESC`,
        [organizationId, id],
      );
      let retried = 0;
      for (const channel of new Set(failures.map((f) => f.channel))) {
        const codes = retryableCodes(channel).filter((c) => onlyCodes === undefined || onlyCodes.includes(c));
        retried += (await retryFailed(m, organizationId, id, channel, codes)).length;
      }
      const reopened = retried > 0 && (await reopenCampaign(m, id));
      const notRetried = failures
        .filter((f) => !isRetryable(f.channel, f.error_code) || (onlyCodes !== undefined && !onlyCodes.includes(f.error_code ?? '')))
        .map((f) => ({
          channel: f.channel,
          errorCode: f.error_code,
          errorTitle: providerErrorTitle(f.channel, f.error_code),
          count: f.count,
        }));
      return { retried, notRetried, status: reopened ? 'active' : campaign.status };
    });
  }
}
