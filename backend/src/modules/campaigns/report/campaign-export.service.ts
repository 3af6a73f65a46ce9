import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { MESSAGE_STATUSES, MessageStatus } from '../../messages/message-status';
import { csvLine } from './csv-cell';
import { isRetryable, providerErrorTitle } from '../../messages/provider-error-codes';

const HEADER = [
  'message_id',
  'lead_id',
  'step',
  'channel',
  'to',
  'status',
  'skip_reason',
  'error_code',
  'error_message',
  'provider_message_id',
  'attempts',
  'sent_at',
  'delivered_at',
  'created_at',
  'updated_at',
  // Appended, so existing readers of the file keep their columns: what the error code means, and whether
  // POST /campaigns/{id}/retry would send the message again (its error proves nothing reached the recipient).
  'error_title',
  'retryable',
];
/** Rows per query: large enough to amortize the round trip, small enough to keep memory flat. */
export const EXPORT_BATCH = 2000;

interface Row {
  id: string;
  lead_id: string | null;
  position: number;
  channel: string;
  to_address: string | null;
  status: string;
  skip_reason: string | null;
  error_code: string | null;
  error_message: string | null;
  provider_message_id: string | null;
  attempts: number;
  sent_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * A campaign's recipients as CSV, read in keyset batches: each batch is one index range scan of
 * (campaign_id, status, id), status after status, and the next batch is only read when the client has
 * taken the previous one (the stream is pulled), so memory stays flat whatever the size of the campaign
 * and a slow client holds no database connection. Not a snapshot: a message whose status changes while
 * the export runs is listed under the status it had when its batch was read.
 */
@Injectable()
export class CampaignExportService {
  constructor(private readonly dataSource: DataSource) {}

  stream(organizationId: string, campaignId: string, status: MessageStatus | undefined): Readable {
    return Readable.from(this.lines(organizationId, campaignId, status), { objectMode: false, highWaterMark: 64 * 1024 });
  }

  private async *lines(organizationId: string, campaignId: string, only: MessageStatus | undefined): AsyncGenerator<string> {
    yield csvLine(HEADER);
    for (const status of only ? [only] : MESSAGE_STATUSES) {
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows: Row[] = await this.dataSource.query(
          `SELECT id, lead_id, position, channel, to_address, status, skip_reason, error_code, error_message,
                  provider_message_id, attempts, sent_at, delivered_at, created_at, updated_at
             FROM messages
            WHERE campaign_id = $1 AND status = $2 AND id > $3 AND organization_id = $4
            ORDER BY id LIMIT ${EXPORT_BATCH}`,
          [campaignId, status, after, organizationId],
        );
        if (rows.length === 0) break;
        yield rows
          .map((r) =>
            csvLine([
              r.id,
              r.lead_id,
              r.position + 1,
              r.channel,
              r.to_address,
              r.status,
              r.skip_reason,
              r.error_code,
              r.error_message,
              r.provider_message_id,
              r.attempts,
              r.sent_at,
              r.delivered_at,
              r.created_at,
              r.updated_at,
              providerErrorTitle(r.channel, r.error_code),
              r.status === 'failed' ? (isRetryable(r.channel, r.error_code) ? 'yes' : 'no') : null,
            ]),
          )
          .join('');
        if (rows.length < EXPORT_BATCH) break;
        after = rows[rows.length - 1].id;
      }
    }
  }
}
