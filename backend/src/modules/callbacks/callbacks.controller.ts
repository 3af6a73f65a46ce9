import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, OrgId, type AuthContext } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { parseLimit } from '../../common/pagination/cursor';
import { CALLBACK_CATEGORIES, type CallbackCategory } from './callback-priority';
import { CALLBACK_STATUSES, type CallbackStatus } from './callback-status';
import { AssignCallbackDto, CallbackRuleDto, CallbackStatusDto, CompleteCallbackDto, CreateCallbackDto } from './callbacks.dto';
import { CallbackDetailResponse, CallbackListResponse, CallbackRuleResponse, CallbackSummaryResponse } from './callbacks.responses';
import { CallbacksService } from './callbacks.service';
import { CallbackCallsService } from './callback-calls.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SORTS = ['priority', 'due', 'created'] as const;

@ApiTags('callbacks')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('callbacks')
export class CallbacksController {
  constructor(
    private readonly callbacks: CallbacksService,
    private readonly calls: CallbackCallsService,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Ask for a callback (a web form or a program). Scored by the priority rule; a lead with an open request gets that one back, with the ask in its activity.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'At most 255 characters; a retry with the same key creates nothing more',
  })
  @ApiCreatedResponse({ type: CallbackDetailResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'lead_not_found', 'idempotency_key_reused')
  async create(
    @Caller() caller: AuthContext,
    @Body() body: CreateCallbackDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CallbackDetailResponse> {
    const answer = await this.callbacks.create(caller, body, key);
    res.status(answer.statusCode);
    return answer.body;
  }

  @Get()
  @ApiOperation({ summary: 'The queue: by priority then due time (or `sort`), with filters; open requests are rescored as they wait' })
  @ApiQuery({
    name: 'status',
    required: false,
    enum: [...CALLBACK_STATUSES, 'open'],
    description: '`open`: pending, assigned or in progress',
  })
  @ApiQuery({ name: 'assigneeId', required: false, description: 'A member id, or `me` (the signed-in member)' })
  @ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'priority', required: false, enum: CALLBACK_CATEGORIES })
  @ApiQuery({ name: 'sort', required: false, enum: SORTS })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } })
  @ApiOkResponse({ type: CallbackListResponse })
  @ApiErrors('validation_failed')
  async list(@Caller() caller: AuthContext, @Query() q: Record<string, string | undefined>): Promise<CallbackListResponse> {
    const invalid = (what: string) => new AppError('validation_failed', what);
    if (q.status && q.status !== 'open' && !(CALLBACK_STATUSES as readonly string[]).includes(q.status))
      throw invalid(`status must be open or one of ${CALLBACK_STATUSES.join(', ')}`);
    if (q.priority && !(CALLBACK_CATEGORIES as readonly string[]).includes(q.priority))
      throw invalid(`priority must be one of ${CALLBACK_CATEGORIES.join(', ')}`);
    if (q.sort && !(SORTS as readonly string[]).includes(q.sort)) throw invalid(`sort must be one of ${SORTS.join(', ')}`);
    if (q.overdue && q.overdue !== 'true' && q.overdue !== 'false') throw invalid('overdue must be true or false');
    let assigneeId = q.assigneeId;
    if (assigneeId === 'me') {
      if (!caller.userId) throw invalid('assigneeId=me needs a signed-in member (an API key is nobody)');
      assigneeId = caller.userId;
    } else if (assigneeId && !UUID.test(assigneeId)) throw invalid('assigneeId must be a UUID or me');
    const items = await this.callbacks.list(caller.organizationId, {
      status: q.status as CallbackStatus | 'open' | undefined,
      assigneeId,
      overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
      category: q.priority as CallbackCategory | undefined,
      sort: (q.sort as (typeof SORTS)[number] | undefined) ?? 'priority',
      limit: parseLimit(q.limit, 100),
    });
    return { items };
  }

  @Get('summary')
  @ApiOperation({ summary: 'Counts per status and open per category, overdue, SLA breaches, unassigned' })
  @ApiOkResponse({ type: CallbackSummaryResponse })
  summary(@OrgId() orgId: string): Promise<CallbackSummaryResponse> {
    return this.callbacks.summary(orgId);
  }

  @Get('rule')
  @ApiOperation({ summary: 'The priority rule in force: the default with the organization’s overrides' })
  @ApiOkResponse({ type: CallbackRuleResponse })
  rule(@OrgId() orgId: string): Promise<CallbackRuleResponse> {
    return this.callbacks.rule(orgId);
  }

  @Put('rule')
  @ApiOperation({ summary: 'Override parts of the priority rule (what is left out keeps the default); open requests are rescored' })
  @ApiOkResponse({ type: CallbackRuleResponse })
  @ApiErrors(JSON_BODY_ERRORS)
  setRule(@OrgId() orgId: string, @Body() body: CallbackRuleDto): Promise<CallbackRuleResponse> {
    return this.callbacks.setRule(orgId, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A request with its score reasons and activity log (every change and attempt: who, when, what)' })
  @ApiOkResponse({ type: CallbackDetailResponse })
  @ApiErrors('validation_failed', 'callback_not_found')
  get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CallbackDetailResponse> {
    return this.callbacks.get(orgId, id);
  }

  @Put(':id/status')
  @ApiOperation({
    summary:
      'Move the status (pending, assigned, in_progress, completed, no_answer, cancelled) as the state machine allows; anything else is 409 callback_invalid_transition',
  })
  @ApiOkResponse({ type: CallbackDetailResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'callback_not_found', 'callback_invalid_transition')
  status(
    @Caller() caller: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CallbackStatusDto,
  ): Promise<CallbackDetailResponse> {
    return this.callbacks.setStatus(caller, id, body.status, body.resolution);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the request to a member, or by round-robin among the organization’s members' })
  @ApiOkResponse({ type: CallbackDetailResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'callback_not_found', 'callback_invalid_transition', 'assignee_not_found', 'no_agent_available')
  assign(
    @Caller() caller: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AssignCallbackDto,
  ): Promise<CallbackDetailResponse> {
    if (!body.assigneeId && !body.roundRobin) throw new AppError('validation_failed', 'Give assigneeId or roundRobin: true');
    return this.callbacks.assign(caller, id, body.assigneeId);
  }

  @Post(':id/call')
  @ApiOperation({
    summary:
      'Call now: ring the agent’s phone (the signed-in member; for an API key, the assignee), then bridge the lead from the organization’s Twilio number. The request moves to in_progress; the attempt’s outcome lands in `calls` and the activity log.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'At most 255 characters; a retry with the same key places no second call',
  })
  @ApiCreatedResponse({ type: CallbackDetailResponse })
  @ApiErrors(
    'validation_failed',
    'callback_not_found',
    'callback_invalid_transition',
    'agent_phone_missing',
    'voice_channel_missing',
    'callback_call_in_progress',
    'callback_not_callable',
    'idempotency_key_reused',
  )
  async call(
    @Caller() caller: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CallbackDetailResponse> {
    const answer = await this.calls.callNow(caller, id, key);
    res.status(answer.statusCode);
    return answer.body;
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete an assigned or in-progress request with its resolution' })
  @ApiOkResponse({ type: CallbackDetailResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'callback_not_found', 'callback_invalid_transition')
  complete(
    @Caller() caller: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CompleteCallbackDto,
  ): Promise<CallbackDetailResponse> {
    return this.callbacks.complete(caller, id, body.resolution);
  }
}
