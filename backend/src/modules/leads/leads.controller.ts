import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOperation, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OrgId } from '../../common/auth/auth-context';
import { consumeCsvUpload } from '../../common/csv/csv-upload';
import { AppError } from '../../common/errors/app-error';
import { ApiCsvUpload } from '../../common/http/api-csv-upload';
import { validateBody } from '../../common/http/validation.pipe';
import { sentFields } from '../../common/http/validators';
import { parseLimit } from '../../common/pagination/cursor';
import { parseMapping } from './csv/lead-csv-mapping';
import { LeadCsvImportService } from './csv/lead-csv-import.service';
import { LeadInputDto } from './lead-input.dto';
import { leadFilterFromQuery } from './lead-filter';
import { RawLead } from './lead-normalizer';
import { LeadsService, presentLead } from './leads.service';

function parseReturnIds(value: string | undefined): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new AppError('validation_failed', 'returnIds must be true or false', [{ field: 'returnIds', message: 'must be true or false' }]);
}

@ApiTags('leads')
@ApiBearerAuth()
@Controller('leads')
export class LeadsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly csvImport: LeadCsvImportService,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Create or update leads (matched by email or phone). One object answers the lead; an array answers counts and per-item errors.',
  })
  @ApiExtraModels(LeadInputDto)
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
  import(@OrgId() orgId: string, @Req() req: Request) {
    return consumeCsvUpload(req, (csv, fields) =>
      this.csvImport.import(orgId, csv, {
        mapping: parseMapping(fields.mapping),
        defaultCountry: fields.defaultCountry,
        returnIds: parseReturnIds(fields.returnIds),
      }),
    );
  }

  @Get()
  @ApiOperation({
    summary:
      'List leads, oldest first, with cursor pagination and filters (email, phone, search, timezone, hasEmail, hasPhone, attributes.<key>, consent.<channel>, createdAfter, createdBefore)',
  })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
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
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentLead(await this.leads.get(orgId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the fields given (null clears one; attributes and consent merge)' })
  async update(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: LeadInputDto) {
    return presentLead(await this.leads.update(orgId, id, sentFields(body)));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.leads.remove(orgId, id);
  }
}
