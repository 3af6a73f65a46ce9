import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export interface AuthContext {
  organizationId: string;
  /** Set when a program authenticated with an API key. */
  apiKeyId?: string;
  /** Set when a person authenticated with a session cookie (web UI). */
  userId?: string;
  sessionId?: string;
}

export type AuthenticatedRequest = Request & { auth?: AuthContext };

/** The caller's organization: every service call is scoped by it. */
export const OrgId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const auth = ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Error('OrgId used on a route without authentication');
  return auth.organizationId;
});

/** The whole caller (organization, and the member or API key), for what records who did it. */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const auth = ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Error('Caller used on a route without authentication');
  return auth;
});
