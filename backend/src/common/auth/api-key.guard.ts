import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeysService } from '../../modules/api-keys/api-keys.service';
import { SessionsService } from '../../modules/auth/sessions.service';
import { AppError } from '../errors/app-error';
import { AuthenticatedRequest } from './auth-context';
import { IS_PUBLIC } from './public.decorator';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      // People in the web UI: a session cookie (state-changing requests must also carry X-CSRF-Token).
      const session = await this.sessions.authenticateRequest(request);
      if (session) {
        request.auth = session;
        return true;
      }
      throw new AppError('unauthorized', 'Send an API key as "Authorization: Bearer <apiKey>"');
    }
    request.auth = await this.apiKeys.authenticate(match[1]);
    return true;
  }
}
