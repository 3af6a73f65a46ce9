import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { EmailAccountDisconnectResponse, EmailAccountResponse, MailboxTestResponse } from './email-accounts.responses';
import { UpdateEmailAccountDto } from './email-accounts.dto';
import { presentEmailAccount } from './email-accounts.service';
import { GmailAccountsService } from './gmail-accounts.service';

/** What a person does with a connected mailbox in Settings (connecting itself is a browser flow under /auth/gmail). */
@ApiTags('email-accounts')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('email-accounts')
export class EmailAccountActionsController {
  constructor(private readonly gmail: GmailAccountsService) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Change the daily sending cap' })
  @ApiOkResponse({ type: EmailAccountResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'not_found')
  async update(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateEmailAccountDto) {
    return presentEmailAccount(await this.gmail.setDailyCap(orgId, id, dto.dailyCap));
  }

  @Post(':id/primary')
  @HttpCode(200)
  @ApiOperation({ summary: "Make this the organization's primary mailbox" })
  @ApiOkResponse({ type: EmailAccountResponse })
  @ApiErrors('validation_failed', 'not_found', 'email_account_not_connected')
  async primary(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentEmailAccount(await this.gmail.makePrimary(orgId, id));
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Test connection: refresh the access token now and read the Gmail profile' })
  @ApiOkResponse({ type: MailboxTestResponse, description: 'The outcome, whether or not Google accepted the tokens' })
  @ApiErrors('validation_failed', 'not_found')
  test(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.gmail.test(orgId, id);
  }

  @Post(':id/disconnect')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke access at Google and delete the tokens (the mailbox stays listed as disconnected)' })
  @ApiOkResponse({ type: EmailAccountDisconnectResponse })
  @ApiErrors('validation_failed', 'not_found')
  async disconnect(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    const { account, revoked, message } = await this.gmail.disconnect(orgId, id);
    return { ...presentEmailAccount(account), revoked, message };
  }
}
