import type { DefaultSecrets, RateLimitSettings, TimingSettings } from './config';
import { ArrivalLog } from './core/arrival-log';
import { BehaviourSimulator, DEFAULT_RATES } from './core/behaviour-simulator';
import { CredentialRegistry } from './core/credentials';
import { FaultInjector } from './core/fault-injector';
import { RateLimiter } from './core/rate-limiter';
import { MessageStore } from './core/store';
import { WebhookDispatcher } from './core/webhook-dispatcher';

/** Anything holding per-run state registers here so `POST /_sandbox/reset` reaches it. */
export interface Resettable {
  /** Traffic state: messages, mailboxes, counters, pending timers. */
  resetTraffic(): void;
  /** Configuration: registered webhooks, grants, settings back to defaults. */
  resetConfig(): void;
}

const SLOT_MS = 10;

export interface SandboxSettings {
  rateLimits: RateLimitSettings;
  timing: TimingSettings;
  /** false: Twilio ignores StatusCallback (SANDBOX_TWILIO_STATUS_CALLBACKS=off, PUT /_sandbox/twilio/status-callbacks). */
  twilioStatusCallbacks: boolean;
}

export class SandboxContext {
  readonly store: MessageStore;
  readonly limiter = new RateLimiter();
  readonly arrivals = new ArrivalLog();
  readonly faults = new FaultInjector();
  readonly behaviour: BehaviourSimulator;
  readonly credentials: CredentialRegistry;
  readonly webhooks: WebhookDispatcher;
  readonly resettables: Resettable[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly slots = new Map<number, (() => void)[]>();
  private closed = false;
  baseUrl = '';

  constructor(
    public settings: SandboxSettings,
    private readonly initialSettings: SandboxSettings,
    private readonly initialSeed: string,
    secrets: DefaultSecrets,
    maxMessages: number,
  ) {
    this.store = new MessageStore(maxMessages);
    this.behaviour = new BehaviourSimulator(initialSeed);
    this.credentials = new CredentialRegistry(secrets);
    this.webhooks = new WebhookDispatcher(() => this.settings.timing);
  }

  /**
   * Runs simulated events later. Events are grouped into 10 ms slots with one timer per slot:
   * a busy campaign schedules several events per recipient, and one timer each would cost
   * more than the request itself.
   */
  schedule(fn: () => void, delayMs: number): void {
    if (this.closed) return;
    const slot = Math.ceil((Date.now() + Math.max(0, delayMs)) / SLOT_MS);
    const list = this.slots.get(slot);
    if (list) {
      list.push(fn);
      return;
    }
    const fns = [fn];
    this.slots.set(slot, fns);
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        this.slots.delete(slot);
        for (const f of fns) {
          try {
            f();
          } catch (err) {
            console.error('[sandbox] simulated event failed', err);
          }
        }
      },
      Math.max(0, slot * SLOT_MS - Date.now()),
    );
    this.timers.add(t);
  }

  pendingEvents(): number {
    let n = 0;
    for (const l of this.slots.values()) n += l.length;
    return n;
  }

  /** Offset of the n-th simulated event after the accept. */
  eventDelay(n: number): number {
    return this.settings.timing.firstEventDelayMs + n * this.settings.timing.eventSpacingMs;
  }

  reset(all: boolean): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.slots.clear();
    this.store.clear();
    this.limiter.clear();
    this.arrivals.clear();
    this.faults.clear();
    this.webhooks.clear();
    for (const r of this.resettables) r.resetTraffic();
    if (all) {
      this.credentials.clear();
      this.behaviour.clearOverrides();
      this.behaviour.seed = this.initialSeed;
      this.behaviour.rates = { ...DEFAULT_RATES };
      this.settings = structuredClone(this.initialSettings);
      for (const r of this.resettables) r.resetConfig();
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.slots.clear();
    this.webhooks.close();
  }
}
