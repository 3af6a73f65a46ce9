import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../../common/http/api-errors';
import { present } from '../templates.service';
import { LibraryTemplateListResponse, TemplateResponse } from '../templates.responses';
import { CopyLibraryTemplateDto, LibraryQueryDto } from './template-library.dto';
import { TemplateLibraryService } from './template-library.service';

/**
 * Registered before TemplatesController so `/templates/library` is not read as a template id. Copying is
 * `POST /templates/library/{id}/copy` rather than `/templates/from-library/{id}`, which OpenAPI tools flag as
 * ambiguous with `/templates/{id}/preview`.
 */
@ApiTags('templates')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('templates')
export class TemplateLibraryController {
  constructor(private readonly library: TemplateLibraryService) {}

  @Get('library')
  @ApiOperation({
    summary: "The template library: the organization's saved entries, then the built-in starters, by category",
  })
  @ApiOkResponse({ type: LibraryTemplateListResponse })
  @ApiErrors('validation_failed')
  listLibrary(@OrgId() orgId: string, @Query() query: LibraryQueryDto) {
    return this.library.list(orgId, query);
  }

  @Post('library/:id/copy')
  @ApiOperation({ summary: 'Create an editable template from a library entry (a starter slug or a saved template id)' })
  @ApiParam({ name: 'id', description: 'starter-… or a template id', example: 'starter-welcome-email' })
  @ApiCreatedResponse({ type: TemplateResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'library_template_not_found')
  async copyFromLibrary(@OrgId() orgId: string, @Param('id') id: string, @Body() body: CopyLibraryTemplateDto) {
    return present(await this.library.copy(orgId, id, body?.name));
  }
}
