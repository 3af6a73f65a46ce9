import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AuthenticatedRequest } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS } from '../../common/http/api-errors';
import { Organization } from '../organizations/organization.entity';
import { User } from '../users/user.entity';
import { presentUser } from '../users/users.service';
import { SessionResponse } from './auth.responses';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('session')
export class SessionController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Who is calling: the organization, and for a web session the user and the CSRF token to echo in X-CSRF-Token' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors(AUTH_ERRORS)
  async current(@Req() req: AuthenticatedRequest) {
    const auth = req.auth!;
    const organization = await this.dataSource.getRepository(Organization).findOneByOrFail({ id: auth.organizationId });
    const user = auth.userId
      ? await this.dataSource.getRepository(User).findOneBy({ id: auth.userId, organizationId: auth.organizationId })
      : null;
    return {
      organization: { id: organization.id, name: organization.name },
      user: user ? presentUser(user) : null,
      ...(auth.sessionId && { csrfToken: this.sessions.csrfToken(auth.sessionId) }),
    };
  }
}
