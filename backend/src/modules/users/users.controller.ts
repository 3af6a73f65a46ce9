import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { InviteUserDto } from './users.dto';
import { Environment } from '../../config/environment';
import { publicUrl } from '../tracking/public-url';
import { presentInvitation, presentUser, UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly env: Environment,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Members of the organization (who can sign in to the web UI) and pending invitations' })
  async list(@OrgId() orgId: string) {
    const [members, invitations] = await Promise.all([this.users.list(orgId), this.users.pendingInvitations(orgId)]);
    return { items: members.map(presentUser), invitations: invitations.map((i) => presentInvitation(i)) };
  }

  @Post('invite')
  @ApiOperation({
    summary:
      'Invite a person: answers an accept link (shown once) to give them. They join when they open it and sign in with Google as this address; a new invitation replaces a pending one.',
  })
  async invite(@OrgId() orgId: string, @Body() dto: InviteUserDto) {
    const { invitation, token } = await this.users.invite(orgId, dto.email, dto.name);
    return presentInvitation(invitation, `${publicUrl(this.env)}/auth/google?invitation=${token}`);
  }

  @Delete('invitations/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a pending invitation: its link stops working' })
  async revokeInvitation(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.revokeInvitation(orgId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member: their web sessions end and they can no longer sign in to this organization' })
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.remove(orgId, id);
  }
}
