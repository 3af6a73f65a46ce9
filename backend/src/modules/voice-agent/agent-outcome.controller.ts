import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/auth/public.decorator';
import { AgentOutcomeDto } from './agent-outcome.dto';
import { AgentOutcomeService } from './agent-outcome.service';

/** Where a call's AI agent reports the conversation's outcome: authenticated by the URL's token, like provider webhooks. */
@ApiExcludeController()
@Public()
@Controller('webhooks/agent')
export class AgentOutcomeController {
  constructor(private readonly outcomes: AgentOutcomeService) {}

  @Post(':token')
  @HttpCode(200)
  report(@Param('token') token: string, @Body() body: AgentOutcomeDto) {
    return this.outcomes.report(token, body);
  }
}
