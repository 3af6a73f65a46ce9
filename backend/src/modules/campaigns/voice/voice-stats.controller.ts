import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS } from '../../../common/http/api-errors';
import { VoiceStatsResponse } from './voice-stats.responses';
import { VoiceStats, VoiceStatsService } from './voice-stats.service';

@ApiTags('campaigns')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('campaigns')
export class VoiceStatsController {
  constructor(private readonly voice: VoiceStatsService) {}

  @Get(':id/stats')
  @ApiOperation({ summary: "A voice campaign's calls: placed, answered, busy, no-answer, failed, voicemail, talk time, attempts per lead" })
  @ApiOkResponse({ type: VoiceStatsResponse })
  @ApiErrors('validation_failed', 'campaign_not_found')
  stats(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<VoiceStats> {
    return this.voice.stats(orgId, id);
  }
}
