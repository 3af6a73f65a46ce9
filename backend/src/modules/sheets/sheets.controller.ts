import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS } from '../../common/http/api-errors';
import { SheetPreviewQueryDto } from './sheets.dto';
import { SheetPreviewResponse } from './sheets.responses';
import { SheetReader } from './sheet-reader';

/** Google Sheets read through a connected Gmail mailbox's Google account, for the lead import. */
@ApiTags('sheets')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('sheets')
export class SheetsController {
  constructor(private readonly reader: SheetReader) {}

  @Get(':id/spreadsheets/:spreadsheetId')
  @ApiOperation({
    summary:
      "A spreadsheet's tabs and the header and first rows of a range, read with the Google account of email account {id} (needs spreadsheets.readonly: 403 sheets_scope_missing names the grant URL)",
  })
  @ApiParam({ name: 'id', description: 'The email account (a connected Gmail mailbox) whose Google account reads', format: 'uuid' })
  @ApiParam({ name: 'spreadsheetId', description: 'The spreadsheet id, or its full Google Sheets URL (URL-encoded)' })
  @ApiOkResponse({ type: SheetPreviewResponse })
  @ApiErrors(
    'validation_failed',
    'not_found',
    'email_account_not_connected',
    'sheets_scope_missing',
    'spreadsheet_id_invalid',
    'spreadsheet_not_found',
    'spreadsheet_forbidden',
    'sheet_range_invalid',
    'sheets_unavailable',
    'sheets_timeout',
  )
  preview(
    @OrgId() orgId: string,
    @Param('id', ParseUUIDPipe) accountId: string,
    @Param('spreadsheetId') spreadsheetId: string,
    @Query() query: SheetPreviewQueryDto,
  ): Promise<SheetPreviewResponse> {
    return this.reader.preview(orgId, accountId, { spreadsheet: spreadsheetId, ...query });
  }
}
