import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS } from '../../common/http/api-errors';
import { parseLimit } from '../../common/pagination/cursor';
import { EnrollmentPageResponse, EnrollmentSummaryResponse } from './enrollments.responses';
import { ENROLLMENT_STATUSES, EnrollmentsService } from './enrollments.service';

@ApiTags('campaigns')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('campaigns/:id/enrollments')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  @Get()
  @ApiOperation({ summary: "A triggered campaign's enrollments, newest first: who entered, on which event, and where they are" })
  @ApiQuery({ name: 'status', required: false, enum: ENROLLMENT_STATUSES })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: EnrollmentPageResponse })
  @ApiErrors('campaign_not_found', 'validation_failed', 'invalid_cursor')
  listEnrollments(
    @OrgId() orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('status') status?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    return this.enrollments.list(orgId, id, status, cursor, parseLimit(limit));
  }

  @Get('summary')
  @ApiOperation({ summary: "How many of a campaign's enrollments are active, completed and exited" })
  @ApiOkResponse({ type: EnrollmentSummaryResponse })
  @ApiErrors('campaign_not_found')
  enrollmentSummary(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.enrollments.summary(orgId, id);
  }
}
