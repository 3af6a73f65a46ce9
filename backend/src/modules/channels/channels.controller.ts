import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { parseLimit } from '../../common/pagination/cursor';
import { Environment } from '../../config/environment';
import { publicUrl } from '../tracking/public-url';
import { ChannelConnection } from './channel-connection.entity';
import { CreateChannelDto, UpdateChannelDto } from './channels.dto';
import { ChannelInboundRouteResponse, ChannelPageResponse, ChannelResponse, ChannelTestResponse } from './channels.responses';
import { ChannelsService } from './channels.service';
import { channelWebhookUrls } from './channel-webhook-urls';

@ApiTags('channels')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('channels')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly env: Environment,
  ) {}

  private present(c: ChannelConnection) {
    return {
      id: c.id,
      type: c.type,
      name: c.name,
      config: c.config,
      secrets: this.channels.secretHints(c),
      status: c.status,
      lastTestedAt: c.lastTestedAt,
      lastError: c.lastError,
      webhookUrls: channelWebhookUrls(publicUrl(this.env), c.type, c.id),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }

  @Post()
  @ApiOperation({
    summary: 'Connect a Mailgun domain, a Twilio number or a WhatsApp Business number. Secrets are encrypted and never returned.',
  })
  @ApiCreatedResponse({ type: ChannelResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'channel_base_url_refused')
  async create(@OrgId() orgId: string, @Body() body: CreateChannelDto) {
    return this.present(await this.channels.create(orgId, body));
  }

  @Get()
  @ApiOperation({ summary: 'List channel connections, oldest first, with cursor pagination' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: ChannelPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor')
  async list(@OrgId() orgId: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    const page = await this.channels.list(orgId, cursor, parseLimit(limit));
    return { items: page.items.map((c) => this.present(c)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A channel connection (secrets as hints only)' })
  @ApiOkResponse({ type: ChannelResponse })
  @ApiErrors('validation_failed', 'channel_not_found')
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.present(await this.channels.get(orgId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, config or secrets (merged over the stored ones)' })
  @ApiOkResponse({ type: ChannelResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'channel_not_found', 'channel_base_url_refused')
  async update(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateChannelDto) {
    return this.present(await this.channels.update(orgId, id, body));
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Test connection: a read-only call to the provider with the stored credentials' })
  @ApiOkResponse({ type: ChannelTestResponse, description: 'The outcome, whether or not the provider accepted the credentials' })
  @ApiErrors('validation_failed', 'channel_not_found', 'channel_base_url_refused')
  test(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.channels.test(orgId, id);
  }

  @Post(':id/inbound-route')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mailgun: create the receiving route that forwards replies to this channel (Routes API), unless it exists',
  })
  @ApiOkResponse({ type: ChannelInboundRouteResponse, description: 'The outcome, whether or not Mailgun accepted it' })
  @ApiErrors('validation_failed', 'channel_not_found', 'channel_base_url_refused')
  inboundRoute(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.channels.createInboundRoute(orgId, id, channelWebhookUrls(publicUrl(this.env), 'mailgun', id).inbound);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a channel connection' })
  @ApiNoContentResponse({ description: 'Deleted' })
  // channel_in_use names the campaigns using it; resource_in_use when one started using it between that check and the delete.
  @ApiErrors('validation_failed', 'channel_not_found', 'channel_in_use', 'resource_in_use')
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.channels.remove(orgId, id);
  }
}
