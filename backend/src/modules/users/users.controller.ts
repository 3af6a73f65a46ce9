import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { InviteUserDto } from './users.dto';
import { presentUser, UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'People of the organization who can sign in to the web UI' })
  async list(@OrgId() orgId: string) {
    return { items: (await this.users.list(orgId)).map(presentUser) };
  }

  @Post('invite')
  @ApiOperation({ summary: 'Let a person sign in with Google to this organization (idempotent for the same organization)' })
  async invite(@OrgId() orgId: string, @Body() dto: InviteUserDto) {
    return presentUser(await this.users.invite(orgId, dto.email, dto.name));
  }
}
