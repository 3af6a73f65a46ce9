import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AppError } from '../../../common/errors/app-error';
import { LeadCsvImportService, type LeadImportOptions, type LeadImportReport } from '../../leads/csv/lead-csv-import.service';
import type { Campaign } from '../campaign.entity';
import { CampaignsService } from '../campaigns.service';
import type { CampaignFromCsvDto } from './campaign-from-csv.dto';

/**
 * Start from a CSV in one request (seed 001): the file's leads are imported with the CSV import's mapping,
 * validation and per-row report, and a draft campaign is created whose audience is exactly the leads of
 * the valid rows. The campaign is checked first (sender, templates, steps), so a wrong campaign imports
 * nothing; a file without a valid row, or with more leads than an audience lists, creates no campaign
 * (its valid rows stay imported, as with the import alone, and the report says so).
 */
@Injectable()
export class CampaignFromCsvService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly csvImport: LeadCsvImportService,
  ) {}

  async create(
    organizationId: string,
    campaign: CampaignFromCsvDto,
    csv: Readable,
    options: Omit<LeadImportOptions, 'returnIds'>,
  ): Promise<{ campaign: Campaign; report: LeadImportReport }> {
    await this.campaigns.assertCreatable(organizationId, { ...campaign, audience: { all: true } });
    const report = await this.csvImport.import(organizationId, csv, { ...options, returnIds: true });
    const leadIds = report.leadIds ?? [];
    if (leadIds.length === 0) {
      throw new AppError('csv_no_valid_rows', 'No row of the file is a valid lead: no campaign was created', { import: report });
    }
    if (report.leadIdsTruncated) {
      throw new AppError(
        'csv_audience_too_large',
        `The file names more than ${leadIds.length.toLocaleString('en-US')} leads, more than a campaign audience lists: the leads were imported, no campaign was created (use an audience filter instead)`,
        { import: { ...report, leadIds: undefined } },
      );
    }
    const created = await this.campaigns.create(organizationId, { ...campaign, audience: { leadIds } });
    return { campaign: created, report };
  }
}
