import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedRequest, OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { LeadCsvImportService } from '../leads/csv/lead-csv-import.service';
import { LeadImportResponse } from '../leads/leads.responses';
import { SheetsImportDto } from './sheets.dto';
import { SheetReader } from './sheet-reader';

/** `POST /leads/import/sheets`: the CSV import's pipeline fed from a Google Sheets range. */
@ApiTags('leads')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('leads/import/sheets')
export class SheetsImportController {
  constructor(
    private readonly reader: SheetReader,
    private readonly importer: LeadCsvImportService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Import leads from a Google Sheets range (first row the header) read with a connected mailbox's Google account: mapped, validated and written like a CSV import; refused rows are reported with their sheet row numbers",
  })
  @ApiOkResponse({ type: LeadImportResponse })
  @ApiErrors(
    JSON_BODY_ERRORS,
    'not_found',
    'email_account_not_connected',
    'sheets_scope_missing',
    'spreadsheet_id_invalid',
    'spreadsheet_not_found',
    'spreadsheet_forbidden',
    'sheet_range_invalid',
    'sheet_invalid',
    'sheet_too_large',
    'invalid_mapping',
    'sheets_unavailable',
    'sheets_timeout',
  )
  async importFromSheets(@OrgId() orgId: string, @Body() body: SheetsImportDto, @Req() req: AuthenticatedRequest) {
    const rows = await this.reader.rows(orgId, body.accountId, { spreadsheet: body.spreadsheetId, range: body.range, sheet: body.sheet });
    const options = { mapping: body.mapping, defaultCountry: body.defaultCountry, returnIds: body.returnIds ?? false };
    if (!body.consentConfirmed) return this.importer.import(orgId, rows, options);
    return this.importer.importConfirmed(
      orgId,
      rows,
      { ...options, consentConfirmed: body.consentConfirmed },
      { userId: req.auth?.userId, apiKeyId: req.auth?.apiKeyId },
    );
  }
}
