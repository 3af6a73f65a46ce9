import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { parseLimit } from '../../common/pagination/cursor';
import { Environment } from '../../config/environment';
import { publicUrl } from '../tracking/public-url';
import { ChannelConnection } from './channel-connection.entity';
import { CreateChannelDto, UpdateChannelDto } from './channels.dto';
import { ChannelsService } from './channels.service';
import { channelWebhookUrls } from './channel-webhook-urls';

@ApiTags('channels')
@ApiBearerAuth()
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
  async create(@OrgId() orgId: string, @Body() body: CreateChannelDto) {
    return this.present(await this.channels.create(orgId, body));
  }

  @Get()
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(@OrgId() orgId: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    const page = await this.channels.list(orgId, cursor, parseLimit(limit));
    return { items: page.items.map((c) => this.present(c)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.present(await this.channels.get(orgId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, config or secrets (merged over the stored ones)' })
  async update(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateChannelDto) {
    return this.present(await this.channels.update(orgId, id, body));
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Test connection: a read-only call to the provider with the stored credentials' })
  test(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.channels.test(orgId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.channels.remove(orgId, id);
  }
}
