import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeysService } from '../../modules/api-keys/api-keys.service';
import { SessionsService } from '../../modules/auth/sessions.service';
import { AppError } from '../errors/app-error';
import { AuthFailureLimiter } from '../security/auth-failure.limiter';
import { AuthenticatedRequest } from './auth-context';
import { IS_PUBLIC } from './public.decorator';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly sessions: SessionsService,
    private readonly failures: AuthFailureLimiter,
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
    try {
      request.auth = await this.apiKeys.authenticate(match[1]);
    } catch (error) {
      // A wrong or revoked key counts against the caller's address (signed-out browsers do not: the UI asks
      // for its session on every load).
      if (error instanceof AppError && error.statusCode === 401) throw await this.failures.failed(request.ip ?? 'unknown', error);
      throw error;
    }
    return true;
  }
}
