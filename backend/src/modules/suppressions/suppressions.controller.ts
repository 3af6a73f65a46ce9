import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OrgId } from '../../common/auth/auth-context';
import { consumeCsvUpload } from '../../common/csv/csv-upload';
import { CsvImportLimitsResponse } from '../../common/csv/csv.responses';
import { ApiCsvUpload } from '../../common/http/api-csv-upload';
import { ApiErrors, AUTH_ERRORS, CSV_UPLOAD_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { parseLimit } from '../../common/pagination/cursor';
import { Environment } from '../../config/environment';
import { SUPPRESSION_CHANNELS, SUPPRESSION_REASONS } from './suppression.entity';
import { SuppressionInputDto } from './suppressions.dto';
import { SuppressionImportResponse, SuppressionPageResponse, SuppressionResponse } from './suppressions.responses';
import { presentSuppression, SuppressionsService } from './suppressions.service';

@ApiTags('suppressions')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('suppressions')
export class SuppressionsController {
  constructor(
    private readonly suppressions: SuppressionsService,
    private readonly env: Environment,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Suppress an address on a channel (idempotent: 201 when new, 200 when it already was)' })
  @ApiCreatedResponse({ type: SuppressionResponse, description: 'Suppressed now' })
  @ApiOkResponse({ type: SuppressionResponse, description: 'Already suppressed: the existing suppression' })
  @ApiErrors(JSON_BODY_ERRORS)
  async create(@OrgId() orgId: string, @Body() body: SuppressionInputDto, @Res({ passthrough: true }) res: Response) {
    const { suppression, created } = await this.suppressions.add(orgId, body);
    res.status(created ? 201 : 200);
    return presentSuppression(suppression);
  }

  @Post('import')
  @HttpCode(200)
  @ApiCsvUpload({
    channel: 'Same as the channel query parameter',
    reason: 'Same as the reason query parameter',
    defaultCountry: 'For phone numbers without a + prefix',
  })
  @ApiOperation({ summary: 'Import suppressions from CSV: address (or email/phone), channel?, reason?, source?' })
  @ApiQuery({ name: 'channel', required: false, enum: SUPPRESSION_CHANNELS })
  @ApiQuery({ name: 'reason', required: false, enum: SUPPRESSION_REASONS })
  @ApiQuery({ name: 'defaultCountry', required: false, description: 'ISO country for phone numbers without a + prefix' })
  @ApiOkResponse({ type: SuppressionImportResponse })
  @ApiErrors(CSV_UPLOAD_ERRORS)
  import(@OrgId() orgId: string, @Req() req: Request) {
    return consumeCsvUpload(req, (csv, fields) =>
      this.suppressions.import(orgId, csv, { channel: fields.channel, reason: fields.reason, defaultCountry: fields.defaultCountry }),
    );
  }

  @Get('import/limits')
  @ApiOperation({ summary: 'The largest CSV file POST /suppressions/import accepts, in bytes, so a client can warn before uploading' })
  @ApiOkResponse({ type: CsvImportLimitsResponse })
  importLimits(): CsvImportLimitsResponse {
    return { maxBytes: this.env.IMPORT_MAX_BYTES };
  }

  @Get()
  @ApiOperation({ summary: 'List suppressions, oldest first, with cursor pagination and filters' })
  @ApiQuery({ name: 'channel', required: false, enum: SUPPRESSION_CHANNELS })
  @ApiQuery({ name: 'reason', required: false, enum: SUPPRESSION_REASONS })
  @ApiQuery({ name: 'address', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: SuppressionPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor')
  async list(@OrgId() orgId: string, @Query() q: Record<string, string | undefined>) {
    const page = await this.suppressions.list(
      orgId,
      { channel: q.channel, address: q.address, reason: q.reason },
      q.cursor,
      parseLimit(q.limit),
    );
    return { items: page.items.map(presentSuppression), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A suppression' })
  @ApiOkResponse({ type: SuppressionResponse })
  @ApiErrors('validation_failed', 'suppression_not_found')
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentSuppression(await this.suppressions.get(orgId, id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Lift a suppression: the address may be contacted again on that channel' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors('validation_failed', 'suppression_not_found')
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.suppressions.remove(orgId, id);
  }
}
