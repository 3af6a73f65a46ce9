import type { Provider } from '../config';
import { compilePattern, type Matcher } from './pattern';
import { sequenceId } from './ids';

export const FAULT_TYPES = [
  'latency',
  'http-error',
  'rate-limit',
  'reset-before',
  'reset-after',
  'timeout',
  'invalid-token',
  'revoked-token',
  'invalid-grant',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

export interface FaultSpec {
  provider: Provider | '*';
  type: FaultType;
  /** Glob or regex (`re:...`, `/.../`) on the recipient address / number; omitted = every recipient. */
  match?: string;
  /** Restrict to one operation, e.g. `messages`, `calls`, `send`, `token`; omitted = all. */
  operation?: string;
  /** Extra delay before the request is handled (for `latency`, and optionally combined). */
  latencyMs?: number;
  /** Status for `http-error` (default 500). */
  status?: number;
  /** For `timeout`: whether the message is recorded before the request hangs. */
  accepted?: boolean;
  /** For `rate-limit`: the Retry-After to announce (seconds). */
  retryAfterSeconds?: number;
  /** Fire this many times then disappear; omitted = persistent. */
  times?: number;
}

export interface FaultRule extends FaultSpec {
  id: string;
  createdAt: string;
  remaining: number | null;
  fired: number;
}

export interface FaultDecision {
  delayMs: number;
  /** The non-latency fault to apply, if any. */
  fault?: FaultRule;
}

interface CompiledRule {
  rule: FaultRule;
  matcher: Matcher;
}

/**
 * Faults are checked once per request after the recipients are known. Latency rules stack;
 * the first matching non-latency rule wins. A one-shot rule counts as used when it fires.
 */
export class FaultInjector {
  private rules: CompiledRule[] = [];

  add(spec: FaultSpec): FaultRule {
    const rule: FaultRule = {
      ...spec,
      id: sequenceId('fault'),
      createdAt: new Date().toISOString(),
      remaining: spec.times ?? null,
      fired: 0,
    };
    this.rules.push({ rule, matcher: compilePattern(spec.match ?? '*') });
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  /** Fast path: the common case (no faults configured) costs one length check. */
  evaluate(provider: Provider, operation: string, recipients: readonly string[]): FaultDecision {
    const decision: FaultDecision = { delayMs: 0 };
    if (this.rules.length === 0) return decision;
    for (const compiled of this.rules) {
      const r = compiled.rule;
      if (r.provider !== '*' && r.provider !== provider) continue;
      if (r.operation && r.operation !== operation) continue;
      if (r.remaining !== null && r.remaining <= 0) continue;
      if (r.match && r.match !== '*' && !recipients.some((to) => compiled.matcher(to))) continue;
      if (r.type === 'latency') {
        decision.delayMs += r.latencyMs ?? 0;
        this.consume(r);
        continue;
      }
      if (decision.fault) continue;
      decision.delayMs += r.latencyMs ?? 0;
      decision.fault = r;
      this.consume(r);
    }
    this.rules = this.rules.filter((c) => c.rule.remaining === null || c.rule.remaining > 0);
    return decision;
  }

  private consume(r: FaultRule): void {
    r.fired += 1;
    if (r.remaining !== null) r.remaining -= 1;
  }
}
