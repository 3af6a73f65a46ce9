import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { SetWarmupDto } from './warmup.dto';
import { WarmupResponse } from './warmup.responses';
import { WarmupService } from './warmup.service';

@ApiTags('channels')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('channels/:id/warmup')
export class ChannelWarmupController {
  constructor(private readonly warmups: WarmupService) {}

  @Get()
  @ApiOperation({ summary: "A channel's warm-up: today's daily cap, the ramp's day and when it reaches its target" })
  @ApiOkResponse({ type: WarmupResponse })
  @ApiErrors('validation_failed', 'channel_not_found', 'not_found')
  getWarmup(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.warmups.get(orgId, { channelId: id });
  }

  @Put()
  @ApiOperation({ summary: 'Start or change a warm-up ramp: the daily cap starts at startPerDay and grows by growthPercent a day' })
  @ApiOkResponse({ type: WarmupResponse })
  @ApiErrors(...JSON_BODY_ERRORS, 'channel_not_found')
  setWarmup(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: SetWarmupDto) {
    return this.warmups.set(orgId, { channelId: id }, body);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: "Stop a channel's warm-up: its own daily cap applies again" })
  @ApiNoContentResponse({ description: 'Stopped' })
  @ApiErrors('validation_failed', 'channel_not_found', 'not_found')
  async removeWarmup(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.warmups.remove(orgId, { channelId: id });
  }
}

@ApiTags('email-accounts')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('email-accounts/:id/warmup')
export class EmailAccountWarmupController {
  constructor(private readonly warmups: WarmupService) {}

  @Get()
  @ApiOperation({ summary: "A mailbox's warm-up: today's daily cap, the ramp's day and when it reaches its target" })
  @ApiOkResponse({ type: WarmupResponse })
  @ApiErrors('validation_failed', 'not_found')
  getWarmup(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.warmups.get(orgId, { emailAccountId: id });
  }

  @Put()
  @ApiOperation({ summary: "Start or change a mailbox's warm-up ramp (the mailbox's daily cap still applies)" })
  @ApiOkResponse({ type: WarmupResponse })
  @ApiErrors(...JSON_BODY_ERRORS, 'not_found')
  setWarmup(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: SetWarmupDto) {
    return this.warmups.set(orgId, { emailAccountId: id }, body);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: "Stop a mailbox's warm-up" })
  @ApiNoContentResponse({ description: 'Stopped' })
  @ApiErrors('validation_failed', 'not_found')
  async removeWarmup(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.warmups.remove(orgId, { emailAccountId: id });
  }
}
