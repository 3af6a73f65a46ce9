import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, OrgId, type AuthContext } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { InviteUserDto, SetPhoneDto } from './users.dto';
import { Environment } from '../../config/environment';
import { publicUrl } from '../tracking/public-url';
import { InvitationResponse, UserListResponse, UserResponse } from './users.responses';
import { presentInvitation, presentUser, UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly env: Environment,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Members of the organization (who can sign in to the web UI) and pending invitations' })
  @ApiOkResponse({ type: UserListResponse })
  async list(@OrgId() orgId: string) {
    const [members, invitations] = await Promise.all([this.users.list(orgId), this.users.pendingInvitations(orgId)]);
    return { items: members.map(presentUser), invitations: invitations.map((i) => presentInvitation(i)) };
  }

  @Post('invite')
  @ApiOperation({
    summary:
      'Invite a person: answers an accept link (shown once) to give them. They join when they open it and sign in with Google as this address; a new invitation replaces a pending one.',
  })
  @ApiCreatedResponse({ type: InvitationResponse, description: 'The invitation, with its `acceptUrl`' })
  @ApiErrors(JSON_BODY_ERRORS)
  async invite(@OrgId() orgId: string, @Body() dto: InviteUserDto) {
    const { invitation, token } = await this.users.invite(orgId, dto.email, dto.name);
    return presentInvitation(invitation, `${publicUrl(this.env)}/auth/google?invitation=${token}`);
  }

  @Put('me/phone')
  @ApiOperation({ summary: 'Set (or with null, remove) the signed-in member’s phone: “call now” rings it before bridging the lead' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(JSON_BODY_ERRORS)
  async setPhone(@Caller() caller: AuthContext, @Body() dto: SetPhoneDto) {
    if (!caller.userId) throw new AppError('validation_failed', 'Only a signed-in member has a phone (an API key is nobody)');
    return presentUser(await this.users.setPhone(caller.organizationId, caller.userId, dto.phone));
  }

  @Delete('invitations/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a pending invitation: its link stops working' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors('validation_failed', 'not_found')
  async revokeInvitation(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.revokeInvitation(orgId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member: their web sessions end and they can no longer sign in to this organization' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors('validation_failed', 'not_found')
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.remove(orgId, id);
  }
}
