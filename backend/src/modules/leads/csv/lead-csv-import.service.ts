import { Injectable } from '@nestjs/common';
import type { ConsentChannel } from '@cadence/contracts';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { ConsentConfirmation } from '../consent-confirmation.entity';
import { CsvRecord, CsvRowError, readCsv } from '../../../common/csv/csv-stream';
import { Environment } from '../../../config/environment';
import { normalizeLead } from '../lead-normalizer';
import { LeadUpsertWriter, UpsertInput } from '../lead-upsert.writer';
import { ColumnTarget, planColumns, toRawLead } from './lead-csv-mapping';

export interface LeadImportOptions {
  mapping?: Record<string, unknown>;
  defaultCountry?: string;
  /** "These recipients opted in to this channel", stated by the uploader (recorded by the caller). */
  consentConfirmed?: ConsentChannel;
  /** Answer the ids of the leads the file created or updated (a campaign audience of exactly that file). */
  returnIds?: boolean;
}

export interface LeadImportReport {
  rows: number;
  created: number;
  updated: number;
  failed: number;
  errors: CsvRowError[];
  /** True when more rows failed than the report lists. */
  errorsTruncated: boolean;
  /** With `returnIds`: each created or updated lead once, in file order, up to MAX_RETURNED_IDS. */
  leadIds?: string[];
  /** True when the file named more leads than `leadIds` lists. */
  leadIdsTruncated?: boolean;
  /** With `consentConfirmed`: the recorded statement and how many rows it gave consent to. */
  /** Internal count behind `consentConfirmation.rows`. */
  consentConfirmedRows?: number;
  consentConfirmation?: {
    id: string;
    channel: ConsentChannel;
    rows: number;
    confirmedAt: Date;
    confirmedByUserId: string | null;
    confirmedByApiKeyId: string | null;
  };
}

/** Who states that a file's recipients opted in. */
export interface ConfirmedBy {
  userId?: string;
  apiKeyId?: string;
}

/**
 * Rows from somewhere other than a CSV file (a Google Sheets range): it announces the header first, then yields
 * records numbered as the source shows them, and reports rows it cannot read through `onError`.
 */
export type LeadRowSource = (hooks: {
  onHeader: (header: string[]) => void;
  onError: (error: CsvRowError) => void;
}) => AsyncIterable<CsvRecord>;

const BATCH_SIZE = 2000;
const MAX_REPORTED_ERRORS = 1000;
/** A campaign audience lists at most this many leads (campaigns.dto.ts AudienceDto.leadIds). */
export const MAX_RETURNED_IDS = 100_000;

/**
 * Streams a CSV into leads: memory stays bounded by one batch whatever the file size, valid rows are
 * kept, and every refused row is reported with its row number, a code and a message.
 */
@Injectable()
export class LeadCsvImportService {
  constructor(
    private readonly writer: LeadUpsertWriter,
    private readonly env: Environment,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * An import whose uploader states that its recipients opted in to one channel: the statement is recorded
   * first (who, when), then each row without its own consent value for that channel gets it.
   */
  async importConfirmed(
    organizationId: string,
    source: Readable | LeadRowSource,
    options: LeadImportOptions & { consentConfirmed: ConsentChannel },
    by: ConfirmedBy,
  ): Promise<LeadImportReport> {
    const repo = this.dataSource.getRepository(ConsentConfirmation);
    const record = await repo.save(
      repo.create({
        organizationId,
        channel: options.consentConfirmed,
        confirmedByUserId: by.userId ?? null,
        confirmedByApiKeyId: by.userId ? null : (by.apiKeyId ?? null),
      }),
    );
    const report = await this.import(organizationId, source, options);
    const rows = report.consentConfirmedRows ?? 0;
    delete report.consentConfirmedRows;
    await repo.update({ organizationId, id: record.id }, { rows });
    report.consentConfirmation = {
      id: record.id,
      channel: record.channel,
      rows,
      confirmedAt: record.createdAt,
      confirmedByUserId: record.confirmedByUserId,
      confirmedByApiKeyId: record.confirmedByApiKeyId,
    };
    return report;
  }

  /** A CSV stream, or another source of rows that goes through the same mapping, validation and writes. */
  async import(organizationId: string, source: Readable | LeadRowSource, options: LeadImportOptions): Promise<LeadImportReport> {
    const report: LeadImportReport = { rows: 0, created: 0, updated: 0, failed: 0, errors: [], errorsTruncated: false };
    const ids = options.returnIds ? new Set<string>() : undefined;
    const fail = (error: CsvRowError) => {
      report.failed++;
      if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(error);
      else report.errorsTruncated = true;
    };
    let header: string[] = [];
    let targets: ColumnTarget[] = [];
    let batch: UpsertInput[] = [];
    // One batch is written while the next is parsed; writes stay in file order, so a person repeated
    // across two batches is found by the second one's look-up.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      await writing;
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      writing = this.writer.upsert(organizationId, rows).then((outcome) => {
        report.created += outcome.created;
        report.updated += outcome.updated;
        if (ids) {
          for (const [, id] of [...outcome.ids].sort(([a], [b]) => a - b)) {
            if (ids.size < MAX_RETURNED_IDS) ids.add(id);
            else if (!ids.has(id)) report.leadIdsTruncated = true;
          }
        }
        for (const e of outcome.errors) fail({ row: e.ref, code: e.code, message: e.message });
      });
      // Keeps an early failure from surfacing as an unhandled rejection before it is awaited.
      writing.catch(() => undefined);
    };
    const hooks = {
      onHeader: (names: string[]) => {
        header = names;
        targets = planColumns(names, options.mapping);
      },
      onError: (error: CsvRowError) => {
        report.rows++;
        fail(error);
      },
    };
    const records = typeof source === 'function' ? source(hooks) : readCsv(source, { maxBytes: this.env.IMPORT_MAX_BYTES, ...hooks });
    for await (const record of records) {
      report.rows++;
      const raw = toRawLead(header, targets, record.values);
      if ('code' in raw) {
        fail({ row: record.row, code: raw.code, message: raw.message });
        continue;
      }
      // The uploader's recorded statement covers the rows that do not say otherwise themselves.
      if (options.consentConfirmed && raw.consent[options.consentConfirmed] === undefined) {
        raw.consent[options.consentConfirmed] = true;
        report.consentConfirmedRows = (report.consentConfirmedRows ?? 0) + 1;
      }
      const result = normalizeLead(raw, options.defaultCountry);
      if (!result.ok) {
        fail({ row: record.row, code: result.code, message: result.message });
        continue;
      }
      batch.push({ ref: record.row, lead: result.lead });
      if (batch.length >= BATCH_SIZE) await flush();
    }
    await flush();
    await writing;
    report.errors.sort((a, b) => a.row - b.row);
    if (ids) Object.assign(report, { leadIds: [...ids], leadIdsTruncated: report.leadIdsTruncated ?? false });
    return report;
  }
}
