import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export interface AuthContext {
  organizationId: string;
  apiKeyId: string;
}

export type AuthenticatedRequest = Request & { auth?: AuthContext };

/** The caller's organization: every service call is scoped by it. */
export const OrgId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const auth = ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Error('OrgId used on a route without authentication');
  return auth.organizationId;
});
