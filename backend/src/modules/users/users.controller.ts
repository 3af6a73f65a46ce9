import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { InviteUserDto } from './users.dto';
import { Environment } from '../../config/environment';
import { publicUrl } from '../tracking/public-url';
import { InvitationResponse, UserListResponse } from './users.responses';
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
