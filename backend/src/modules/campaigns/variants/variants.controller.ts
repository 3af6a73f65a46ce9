import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS } from '../../../common/http/api-errors';
import { VariantResultsService } from './variant-results.service';
import { CampaignVariantsResponse } from './variants.responses';

@ApiTags('campaigns')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('campaigns')
export class VariantsController {
  constructor(private readonly results: VariantResultsService) {}

  @Get(':id/variants')
  @ApiOperation({
    summary:
      'A/B results per step with variants: sends, deliveries, opens, clicks, replies and conversions per variant, the compared rate, the test status and winner, and the significance of the leader',
  })
  @ApiOkResponse({ type: CampaignVariantsResponse })
  @ApiErrors('validation_failed', 'campaign_not_found')
  variants(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignVariantsResponse> {
    return this.results.results(orgId, id);
  }
}
