import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthenticatedRequest, OrgId } from '../../common/auth/auth-context';
import { CONSENT_CHANNELS, type ConsentChannel } from './lead.entity';
import { consumeCsvUpload } from '../../common/csv/csv-upload';
import { CsvImportLimitsResponse } from '../../common/csv/csv.responses';
import { AppError } from '../../common/errors/app-error';
import { ApiCsvUpload } from '../../common/http/api-csv-upload';
import { ApiErrors, AUTH_ERRORS, CSV_UPLOAD_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { validateBody } from '../../common/http/validation.pipe';
import { sentFields } from '../../common/http/validators';
import { parseLimit } from '../../common/pagination/cursor';
import { parseMapping } from './csv/lead-csv-mapping';
import { LeadCsvImportService } from './csv/lead-csv-import.service';
import { Environment } from '../../config/environment';
import { LeadInputDto } from './lead-input.dto';
import { LeadMessagesService } from './lead-messages.service';
import { leadFilterFromQuery } from './lead-filter';
import { RawLead } from './lead-normalizer';
import { LeadsService, presentLead } from './leads.service';
import { LeadBulkUpsertResponse, LeadImportResponse, LeadMessagePageResponse, LeadPageResponse, LeadResponse } from './leads.responses';

function parseReturnIds(value: string | undefined): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new AppError('validation_failed', 'returnIds must be true or false', [{ field: 'returnIds', message: 'must be true or false' }]);
}

function parseConsentConfirmed(value: string | undefined): ConsentChannel | undefined {
  if (value === undefined || value === '') return undefined;
  if ((CONSENT_CHANNELS as readonly string[]).includes(value)) return value as ConsentChannel;
  throw new AppError('validation_failed', `consentConfirmed must be one of ${CONSENT_CHANNELS.join(', ')}`, [
    { field: 'consentConfirmed', message: 'not a channel' },
  ]);
}

@ApiTags('leads')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('leads')
export class LeadsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly csvImport: LeadCsvImportService,
    private readonly messages: LeadMessagesService,
    private readonly env: Environment,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Create or update leads (matched by email or phone). One object answers the lead; an array answers counts and per-item errors.',
  })
  @ApiExtraModels(LeadInputDto, LeadResponse, LeadBulkUpsertResponse)
  @ApiCreatedResponse({
    description: 'One object: the lead, when it is new. An array: the counts, ids and refused items (whatever was created).',
    schema: { oneOf: [{ $ref: getSchemaPath(LeadResponse) }, { $ref: getSchemaPath(LeadBulkUpsertResponse) }] },
  })
  @ApiOkResponse({ description: 'One object matching an existing lead (by email or phone): the updated lead', type: LeadResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'lead_conflict')
  @ApiBody({
    schema: {
      oneOf: [{ $ref: getSchemaPath(LeadInputDto) }, { type: 'array', maxItems: 10_000, items: { $ref: getSchemaPath(LeadInputDto) } }],
    },
  })
  @ApiQuery({ name: 'defaultCountry', required: false, description: 'ISO country for phone numbers without a + prefix' })
  async create(
    @OrgId() orgId: string,
    @Body() body: unknown,
    @Query('defaultCountry') defaultCountry: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (Array.isArray(body)) {
      if (body.length > 10_000)
        throw new AppError('validation_failed', 'At most 10,000 leads per request; use POST /api/v1/leads/import for files');
      return this.leads.upsertMany(orgId, body as RawLead[], defaultCountry);
    }
    if (typeof body !== 'object' || body === null) throw new AppError('validation_failed', 'Send a lead object or an array of them');
    // An array answers per-item errors (as a CSV import does); one object is checked like any other body.
    const lead = sentFields(validateBody(LeadInputDto, body));
    const result = await this.leads.upsertMany(orgId, [lead], defaultCountry);
    const error = result.errors[0];
    if (error) {
      if (error.code === 'identity_conflict') throw new AppError('lead_conflict', error.message);
      throw new AppError('validation_failed', error.message, [{ field: error.code, message: error.message }]);
    }
    res.status(result.created ? 201 : 200);
    return presentLead(await this.leads.get(orgId, result.ids[0]!));
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import a CSV (raw text/csv body or multipart file). Valid rows are upserted; each refused row is reported.' })
  @ApiCsvUpload({
    mapping: 'Same as the mapping query parameter',
    defaultCountry: 'Same as the defaultCountry query parameter',
    returnIds: 'Same as the returnIds query parameter',
    consentConfirmed: 'Same as the consentConfirmed query parameter',
  })
  @ApiQuery({
    name: 'mapping',
    required: false,
    description: 'JSON: {"<column>": "email"|"phone"|"firstName"|"lastName"|"timezone"|"consent.<channel>"|"attributes.<key>"|null}',
  })
  @ApiQuery({ name: 'defaultCountry', required: false })
  @ApiQuery({
    name: 'returnIds',
    required: false,
    description: 'true: the answer lists the ids of the leads created or updated (leadIds, up to 100,000; leadIdsTruncated beyond)',
  })
  @ApiQuery({
    name: 'consentConfirmed',
    required: false,
    enum: CONSENT_CHANNELS,
    description:
      'The uploader states that every recipient of the file opted in to this channel: recorded with who and when (consentConfirmation in the answer); rows with their own consent value keep it',
  })
  @ApiOkResponse({ type: LeadImportResponse })
  // validation_failed: a returnIds other than true or false, a consentConfirmed that is not a channel.
  @ApiErrors(CSV_UPLOAD_ERRORS, 'invalid_mapping', 'validation_failed')
  import(@OrgId() orgId: string, @Req() req: AuthenticatedRequest) {
    return consumeCsvUpload(req, (csv, fields) => {
      const options = {
        mapping: parseMapping(fields.mapping),
        defaultCountry: fields.defaultCountry,
        returnIds: parseReturnIds(fields.returnIds),
      };
      const consentConfirmed = parseConsentConfirmed(fields.consentConfirmed);
      if (!consentConfirmed) return this.csvImport.import(orgId, csv, options);
      return this.csvImport.importConfirmed(
        orgId,
        csv,
        { ...options, consentConfirmed },
        { userId: req.auth?.userId, apiKeyId: req.auth?.apiKeyId },
      );
    });
  }

  @Get('import/limits')
  @ApiOperation({ summary: 'The largest CSV file POST /leads/import accepts, in bytes, so a client can warn before uploading' })
  @ApiOkResponse({ type: CsvImportLimitsResponse })
  importLimits(): CsvImportLimitsResponse {
    return { maxBytes: this.env.IMPORT_MAX_BYTES };
  }

  @Get()
  @ApiOperation({
    summary:
      'List leads, oldest first, with cursor pagination and filters (email, phone, search, timezone, hasEmail, hasPhone, attributes.<key>, consent.<channel>, createdAfter, createdBefore)',
  })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: LeadPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor')
  async list(@OrgId() orgId: string, @Query() query: Record<string, unknown>) {
    const { cursor, limit, ...filters } = query;
    const page = await this.leads.list(
      orgId,
      leadFilterFromQuery(filters),
      typeof cursor === 'string' ? cursor : undefined,
      parseLimit(limit),
    );
    return { items: page.items.map(presentLead), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A lead' })
  @ApiOkResponse({ type: LeadResponse })
  @ApiErrors('validation_failed', 'lead_not_found')
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentLead(await this.leads.get(orgId, id));
  }

  @Get(':id/messages')
  @ApiOperation({ summary: "The lead's messages across campaigns, newest first, with each campaign's name (cursor-paged)" })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: LeadMessagePageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'lead_not_found')
  async listMessages(
    @OrgId() orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    return this.messages.list(orgId, id, cursor, parseLimit(limit));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the fields given (null clears one; attributes and consent merge)' })
  @ApiOkResponse({ type: LeadResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'lead_not_found', 'lead_conflict')
  async update(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: LeadInputDto) {
    return presentLead(await this.leads.update(orgId, id, sentFields(body)));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a lead (its messages stay in the campaign logs without it)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors('validation_failed', 'lead_not_found')
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.leads.remove(orgId, id);
  }
}
