import type { Provider } from '../config';
import type { SandboxContext } from '../context';
import type { RequestContext } from '../http/request-context';
import type { FaultRule } from './fault-injector';

/** How a provider phrases the failures a fault can stand for. */
export interface FaultResponders {
  unauthorized(rc: RequestContext): void;
  rateLimited(rc: RequestContext, retryAfterSeconds: number): void;
  serverError(rc: RequestContext, status: number): void;
  /** Token revocation has side effects for Google (refresh stops working too). */
  revoke?(rc: RequestContext): void;
  invalidGrant?(rc: RequestContext): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Applies the faults that act before anything is accepted. Returns `false` when the
 * request was fully handled (answered, reset or left hanging); otherwise the rule to apply
 * after acceptance (`reset-after`, accepted `timeout`) or undefined.
 */
export async function faultsBeforeAccept(
  ctx: SandboxContext,
  rc: RequestContext,
  provider: Provider,
  operation: string,
  recipients: readonly string[],
  responders: FaultResponders,
): Promise<FaultRule | undefined | false> {
  const decision = ctx.faults.evaluate(provider, operation, recipients);
  if (decision.delayMs > 0) await sleep(decision.delayMs);
  const f = decision.fault;
  if (!f) return undefined;
  switch (f.type) {
    case 'latency':
      return undefined;
    case 'http-error':
      responders.serverError(rc, f.status ?? 500);
      return false;
    case 'rate-limit':
      responders.rateLimited(rc, f.retryAfterSeconds ?? 1);
      return false;
    case 'reset-before':
      rc.req.socket.resetAndDestroy();
      return false;
    case 'timeout':
      if (f.accepted) return f;
      hang(rc);
      return false;
    case 'invalid-token':
      responders.unauthorized(rc);
      return false;
    case 'revoked-token':
      if (responders.revoke) responders.revoke(rc);
      responders.unauthorized(rc);
      return false;
    case 'invalid-grant':
      if (responders.invalidGrant) responders.invalidGrant(rc);
      else responders.unauthorized(rc);
      return false;
    case 'reset-after':
      return f;
  }
}

/** After the message was recorded: true when the fault took over the response. */
export function faultAfterAccept(rc: RequestContext, fault: FaultRule | undefined): boolean {
  if (!fault) return false;
  if (fault.type === 'reset-after') {
    rc.req.socket.resetAndDestroy();
    return true;
  }
  if (fault.type === 'timeout') {
    hang(rc);
    return true;
  }
  return false;
}

// Never answer; the socket stays open until the client gives up (or the server closes).
function hang(rc: RequestContext): void {
  rc.req.socket.setTimeout(0);
}
