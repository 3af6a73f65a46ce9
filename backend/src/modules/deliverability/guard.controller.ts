import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { DeliverabilityGuard } from './deliverability-guard.service';
import { ConfigureGuardDto } from './guard.dto';
import { GuardResponse } from './guard.responses';

@ApiTags('channels')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('channels/:id/guard')
export class ChannelGuardController {
  constructor(private readonly guard: DeliverabilityGuard) {}

  @Get()
  @ApiOperation({ summary: "A channel's deliverability guard: its bounce, complaint and rejection rates, thresholds and pause" })
  @ApiOkResponse({ type: GuardResponse })
  @ApiErrors('validation_failed', 'channel_not_found')
  getGuard(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.guard.get(orgId, { channelId: id });
  }

  @Patch()
  @ApiOperation({ summary: "Change a channel's guard thresholds (null: the default) or turn it off" })
  @ApiOkResponse({ type: GuardResponse })
  @ApiErrors(...JSON_BODY_ERRORS, 'channel_not_found')
  configureGuard(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: ConfigureGuardDto) {
    return this.guard.configure(orgId, { channelId: id }, body);
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a channel the guard paused: its campaigns send again and its rates count afresh' })
  @ApiOkResponse({ type: GuardResponse })
  @ApiErrors('validation_failed', 'channel_not_found', 'sender_not_paused')
  resumeGuard(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.guard.resume(orgId, { channelId: id });
  }
}

@ApiTags('email-accounts')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('email-accounts/:id/guard')
export class EmailAccountGuardController {
  constructor(private readonly guard: DeliverabilityGuard) {}

  @Get()
  @ApiOperation({ summary: "A mailbox's deliverability guard" })
  @ApiOkResponse({ type: GuardResponse })
  @ApiErrors('validation_failed', 'not_found')
  getGuard(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.guard.get(orgId, { emailAccountId: id });
  }

  @Patch()
  @ApiOperation({ summary: "Change a mailbox's guard thresholds or turn it off" })
  @ApiOkResponse({ type: GuardResponse })
  @ApiErrors(...JSON_BODY_ERRORS, 'not_found')
  configureGuard(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: ConfigureGuardDto) {
    return this.guard.configure(orgId, { emailAccountId: id }, body);
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a mailbox the guard paused' })
  @ApiOkResponse({ type: GuardResponse })
  @ApiErrors('validation_failed', 'not_found', 'sender_not_paused')
  resumeGuard(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.guard.resume(orgId, { emailAccountId: id });
  }
}
