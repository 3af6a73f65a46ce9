import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import { RuntimeSecrets } from '../../config/runtime-secrets';

/** n8n's way in: one installation-wide token; each call then names a run, which belongs to one organization. */
@Injectable()
export class InternalTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(secrets: RuntimeSecrets) {
    this.expected = Buffer.from(secrets.internalApiToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '');
    if (given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) {
      throw new AppError('invalid_internal_token', 'The internal API token is missing or wrong');
    }
    return true;
  }
}
