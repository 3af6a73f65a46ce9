import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrgId } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { parseLimit } from '../../common/pagination/cursor';
import { CONVERSATION_STATUSES } from './conversation-status';
import { ConversationReplyService } from './conversation-reply.service';
import { ReplyDto, UpdateConversationDto } from './conversations.dto';
import {
  ConversationPageResponse,
  ConversationReplyResponse,
  ConversationResponse,
  ConversationSummaryResponse,
  ConversationThreadResponse,
} from './conversations.responses';
import { ConversationsService } from './conversations.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHANNELS = ['email', 'sms', 'whatsapp'];

@ApiTags('conversations')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly replies: ConversationReplyService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The inbox: conversations, most recent activity first, with filters and cursor pagination' })
  @ApiQuery({ name: 'status', required: false, enum: CONVERSATION_STATUSES })
  @ApiQuery({ name: 'assigneeId', required: false, description: 'A member id' })
  @ApiQuery({ name: 'unread', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'channel', required: false, enum: CHANNELS })
  @ApiQuery({ name: 'search', required: false, description: 'Part of the address, the lead name or the last message' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: ConversationPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor')
  list(@OrgId() orgId: string, @Query() q: Record<string, string | undefined>): Promise<ConversationPageResponse> {
    const invalid = (what: string) => new AppError('validation_failed', what);
    if (q.status && !(CONVERSATION_STATUSES as readonly string[]).includes(q.status))
      throw invalid(`status must be one of ${CONVERSATION_STATUSES.join(', ')}`);
    if (q.channel && !CHANNELS.includes(q.channel)) throw invalid(`channel must be one of ${CHANNELS.join(', ')}`);
    if (q.assigneeId && !UUID.test(q.assigneeId)) throw invalid('assigneeId must be a UUID');
    if (q.unread && q.unread !== 'true' && q.unread !== 'false') throw invalid('unread must be true or false');
    if (q.search && q.search.length > 200) throw invalid('search must be at most 200 characters');
    return this.conversations.list(
      orgId,
      {
        status: q.status,
        channel: q.channel,
        assigneeId: q.assigneeId,
        unread: q.unread === undefined ? undefined : q.unread === 'true',
        search: q.search?.trim() || undefined,
      },
      q.cursor,
      parseLimit(q.limit),
    );
  }

  @Get('summary')
  @ApiOperation({ summary: 'How many conversations have unread replies (the inbox badge)' })
  @ApiOkResponse({ type: ConversationSummaryResponse })
  async summary(@OrgId() orgId: string): Promise<ConversationSummaryResponse> {
    return { unread: await this.conversations.unread(orgId) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A conversation and its thread: our messages and the replies, oldest first' })
  @ApiOkResponse({ type: ConversationThreadResponse })
  @ApiErrors('validation_failed', 'conversation_not_found')
  thread(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<ConversationThreadResponse> {
    return this.conversations.thread(orgId, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Set the status (open, waiting, closed) or the assignee (a member, or null)' })
  @ApiOkResponse({ type: ConversationResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'conversation_not_found', 'conversation_invalid_transition', 'assignee_not_found')
  update(
    @OrgId() orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateConversationDto,
  ): Promise<ConversationResponse> {
    return this.conversations.update(orgId, id, body);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark every reply of the conversation read' })
  @ApiOkResponse({ type: ConversationResponse })
  @ApiErrors('validation_failed', 'conversation_not_found')
  read(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<ConversationResponse> {
    return this.conversations.markRead(orgId, id);
  }

  @Post(':id/messages')
  @ApiOperation({
    summary:
      'Answer from the same mailbox or number, through n8n like any campaign message (a one-message campaign of type reply). A retry with the same Idempotency-Key answers the first answer and sends nothing more.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'At most 255 characters; a retry with the same key sends nothing more',
  })
  @ApiCreatedResponse({
    type: ConversationReplyResponse,
    description: 'Queued (or, for a retried Idempotency-Key, the first answer again)',
  })
  @ApiErrors(JSON_BODY_ERRORS, 'conversation_not_found', 'conversation_not_replyable', 'whatsapp_window_closed', 'idempotency_key_reused')
  async reply(
    @OrgId() orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReplyDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConversationReplyResponse> {
    const answer = await this.replies.reply(orgId, id, { text: body.text, subject: body.subject }, key);
    res.status(answer.statusCode);
    return answer.body;
  }
}
