import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { CsvRowError, readCsv } from '../../common/csv/csv-stream';
import { AppError } from '../../common/errors/app-error';
import { Page } from '../../common/pagination/cursor';
import { paginate } from '../../common/pagination/paginate';
import { Environment } from '../../config/environment';
import { normalizeSuppressionAddress } from './suppression-address';
import { Suppression, SUPPRESSION_CHANNELS, SUPPRESSION_REASONS, SuppressionChannel, SuppressionReason } from './suppression.entity';
import { deleteOwned } from '../../database/delete-owned';

export interface SuppressionInput {
  channel: unknown;
  address: unknown;
  reason?: unknown;
  source?: unknown;
}

type Valid = { channel: SuppressionChannel; address: string; reason: SuppressionReason; source: string };

const BATCH_SIZE = 2000;

@Injectable()
export class SuppressionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(Suppression);
  }

  validate(input: SuppressionInput, defaultSource: string, defaultCountry?: string): Valid | { code: string; message: string } {
    if (!(SUPPRESSION_CHANNELS as readonly unknown[]).includes(input.channel)) {
      return { code: 'invalid_channel', message: `channel must be one of ${SUPPRESSION_CHANNELS.join(', ')}` };
    }
    const reason = input.reason ?? 'manual';
    if (!(SUPPRESSION_REASONS as readonly unknown[]).includes(reason)) {
      return { code: 'invalid_reason', message: `reason must be one of ${SUPPRESSION_REASONS.join(', ')}` };
    }
    const channel = input.channel as SuppressionChannel;
    const address = normalizeSuppressionAddress(channel, input.address, defaultCountry);
    if (address instanceof Error) return { code: channel === 'email' ? 'invalid_email' : 'invalid_phone', message: address.message };
    const source = typeof input.source === 'string' && input.source.trim() ? input.source.trim().slice(0, 100) : defaultSource;
    return { channel, address, reason: reason as SuppressionReason, source };
  }

  /** Idempotent: suppressing an address twice keeps one row (the first reason stands). */
  async addMany(organizationId: string, rows: Valid[]): Promise<number> {
    let created = 0;
    for (let i = 0; i < rows.length; i += BATCH_SIZE) {
      const batch = rows.slice(i, i + BATCH_SIZE);
      const inserted: unknown[] = await this.dataSource.query(
        `INSERT INTO suppressions (organization_id, channel, address, reason, source)
          SELECT $1, v.channel, v.address, v.reason, v.source
            FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS v(channel, address, reason, source)
          ON CONFLICT (organization_id, channel, address) DO NOTHING
          RETURNING id`,
        [organizationId, batch.map((r) => r.channel), batch.map((r) => r.address), batch.map((r) => r.reason), batch.map((r) => r.source)],
      );
      created += inserted.length;
    }
    return created;
  }

  async add(organizationId: string, input: SuppressionInput): Promise<{ suppression: Suppression; created: boolean }> {
    const valid = this.validate(input, 'api');
    if ('code' in valid) throw new AppError('validation_failed', valid.message, [{ field: valid.code, message: valid.message }]);
    const created = (await this.addMany(organizationId, [valid])) === 1;
    const suppression = await this.repo.findOneByOrFail({ organizationId, channel: valid.channel, address: valid.address });
    return { suppression, created };
  }

  list(
    organizationId: string,
    filter: { channel?: string; address?: string; reason?: string },
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<Suppression>> {
    const qb = this.repo.createQueryBuilder('s').where('s.organization_id = :organizationId', { organizationId });
    if (filter.channel) qb.andWhere('s.channel = :channel', { channel: filter.channel });
    if (filter.reason) qb.andWhere('s.reason = :reason', { reason: filter.reason });
    if (filter.address) qb.andWhere('s.address = :address', { address: filter.address.trim().toLowerCase() });
    return paginate(qb, 's', cursor, limit);
  }

  async get(organizationId: string, id: string): Promise<Suppression> {
    const row = await this.repo.findOneBy({ organizationId, id });
    if (!row) throw new AppError('suppression_not_found', `No suppression ${id}`);
    return row;
  }

  async remove(organizationId: string, id: string): Promise<void> {
    if (!(await deleteOwned(this.repo, organizationId, id))) throw new AppError('suppression_not_found', `No suppression ${id}`);
  }

  /** Columns: address (or email / phone), channel (default: from the address, or ?channel=), reason, source. */
  async import(organizationId: string, csv: Readable, opts: { channel?: string; reason?: string; defaultCountry?: string }) {
    const report = { rows: 0, created: 0, existing: 0, failed: 0, errors: [] as CsvRowError[], errorsTruncated: false };
    const fail = (e: CsvRowError) => {
      report.failed++;
      if (report.errors.length < 1000) report.errors.push(e);
      else report.errorsTruncated = true;
    };
    let header: string[] = [];
    let batch: Valid[] = [];
    const flush = async () => {
      const created = await this.addMany(organizationId, batch);
      report.created += created;
      report.existing += batch.length - created;
      batch = [];
    };
    const column = (...names: string[]) => header.find((h) => names.includes(h.toLowerCase()));
    let addressCol: string | undefined;
    for await (const record of readCsv(csv, {
      maxBytes: this.env.IMPORT_MAX_BYTES,
      onHeader: (h) => {
        header = h;
        addressCol = column('address', 'email', 'phone', 'e-mail', 'phone number');
        if (!addressCol) throw new AppError('invalid_csv', `No address column (address, email or phone) in: ${h.join(', ')}`);
      },
      onError: (e) => {
        report.rows++;
        fail(e);
      },
    })) {
      report.rows++;
      const v = record.values;
      const address = v[addressCol!];
      const channelCol = column('channel');
      const channel = (channelCol && v[channelCol]) || opts.channel || (address?.includes('@') ? 'email' : 'sms');
      const reasonCol = column('reason');
      const sourceCol = column('source');
      const valid = this.validate(
        { channel, address, reason: (reasonCol && v[reasonCol]) || opts.reason || 'manual', source: sourceCol && v[sourceCol] },
        'csv_import',
        opts.defaultCountry,
      );
      if ('code' in valid) fail({ row: record.row, code: valid.code, message: valid.message });
      else batch.push(valid);
      if (batch.length >= BATCH_SIZE) await flush();
    }
    if (batch.length) await flush();
    return report;
  }
}

export function presentSuppression(s: Suppression) {
  return { id: s.id, channel: s.channel, address: s.address, reason: s.reason, source: s.source, createdAt: s.createdAt };
}
