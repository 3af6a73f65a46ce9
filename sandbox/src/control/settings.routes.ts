import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import { PROVIDERS, mergeSettings, type Provider, type RateLimitSettings, type TimingSettings, type DeepPartial } from '../config';
import { FAULT_TYPES, type FaultSpec, type FaultType } from '../core/fault-injector';
import { isValidPattern } from '../core/pattern';
import type { Behaviour, BehaviourRates } from '../core/behaviour-simulator';
import { ControlError, asObject, optBoolean, optNumber, optString, reqString, type Json } from './validate';
import { body, controlRoutes, notFound } from './control-kit';
import type { ProviderStates } from './control.routes';
import {
  WHATSAPP_MESSAGING_TIERS,
  WHATSAPP_THROUGHPUT,
  type WhatsappMessagingTier,
  type WhatsappThroughputLevel,
} from '../providers/whatsapp.state';

const BEHAVIOUR_KEYS = new Set([
  'delivery',
  'opened',
  'clicked',
  'replied',
  'autoReplied',
  'unsubscribed',
  'complained',
  'stop',
  'read',
  'call',
  'callDurationSeconds',
  'replyText',
]);

function faultSpec(o: Json): FaultSpec {
  const provider = reqString(o, 'provider');
  if (provider !== '*' && !PROVIDERS.includes(provider as Provider)) {
    throw new ControlError(400, 'UNKNOWN_PROVIDER', `provider must be one of ${[...PROVIDERS, '*'].join(', ')}`, { field: 'provider' });
  }
  const type = reqString(o, 'type');
  if (!(FAULT_TYPES as readonly string[]).includes(type)) {
    throw new ControlError(400, 'UNKNOWN_FAULT_TYPE', `type must be one of ${FAULT_TYPES.join(', ')}`, { field: 'type' });
  }
  const spec: FaultSpec = { provider: provider as FaultSpec['provider'], type: type as FaultType };
  const match = optString(o, 'match');
  if (match !== undefined) {
    if (!isValidPattern(match))
      throw new ControlError(400, 'INVALID_PATTERN', `match is not a valid glob or regex: ${match}`, { field: 'match' });
    spec.match = match;
  }
  const operation = optString(o, 'operation');
  if (operation) spec.operation = operation;
  const latencyMs = optNumber(o, 'latencyMs');
  if (latencyMs !== undefined) spec.latencyMs = latencyMs;
  const status = optNumber(o, 'status', 400);
  if (status !== undefined) spec.status = status;
  const accepted = optBoolean(o, 'accepted');
  if (accepted !== undefined) spec.accepted = accepted;
  const retryAfter = optNumber(o, 'retryAfterSeconds');
  if (retryAfter !== undefined) spec.retryAfterSeconds = retryAfter;
  const times = optNumber(o, 'times', 1);
  if (times !== undefined) spec.times = Math.floor(times);
  if (type === 'latency' && latencyMs === undefined)
    throw new ControlError(400, 'VALIDATION_FAILED', 'latency faults need latencyMs', { field: 'latencyMs' });
  return spec;
}

function behaviourPatch(o: Json): Partial<Behaviour> {
  for (const k of Object.keys(o)) {
    if (!BEHAVIOUR_KEYS.has(k))
      throw new ControlError(400, 'VALIDATION_FAILED', `unknown behaviour field: ${k}`, { field: k, allowed: [...BEHAVIOUR_KEYS] });
  }
  const b = o as Partial<Behaviour>;
  if (b.delivery !== undefined && !['delivered', 'bounced', 'failed'].includes(b.delivery))
    throw new ControlError(400, 'VALIDATION_FAILED', 'delivery must be delivered, bounced or failed');
  if (b.call !== undefined && !['completed', 'busy', 'no-answer', 'failed'].includes(b.call))
    throw new ControlError(400, 'VALIDATION_FAILED', 'call must be completed, busy, no-answer or failed');
  return b;
}

/** How the sandbox behaves: faults, rate limits, timing, recipient behaviour, credentials. */
export function registerSettingsRoutes(router: Router, ctx: SandboxContext, states: ProviderStates): void {
  const route = controlRoutes(router);

  // Faults
  route('GET', /^\/_sandbox\/faults$/, () => ({ items: ctx.faults.list() }));
  route('POST', /^\/_sandbox\/faults$/, (rc) => {
    const b = body(rc);
    const list = Array.isArray(b.faults) ? (b.faults as unknown[]).map((f) => faultSpec(asObject(f, 'fault'))) : [faultSpec(b)];
    const created = list.map((s) => ctx.faults.add(s));
    rc.res.statusCode = 201;
    return Array.isArray(b.faults) ? { items: created } : created[0];
  });
  route('DELETE', /^\/_sandbox\/faults$/, () => {
    ctx.faults.clear();
    return { cleared: true };
  });
  route('DELETE', /^\/_sandbox\/faults\/([^/]+)$/, (rc) => {
    if (!ctx.faults.remove(rc.params[0])) throw notFound('fault', rc.params[0]);
    return { deleted: rc.params[0] };
  });

  // Rate limits and timing
  route('GET', /^\/_sandbox\/rate-limits$/, () => ctx.settings.rateLimits);
  route('PUT', /^\/_sandbox\/rate-limits$/, (rc) => {
    const patch = body(rc) as DeepPartial<RateLimitSettings>;
    for (const k of Object.keys(patch))
      if (!['enabled', 'gmail', 'twilio', 'whatsapp', 'mailgun'].includes(k))
        throw new ControlError(400, 'VALIDATION_FAILED', `unknown rate-limit section: ${k}`);
    ctx.settings.rateLimits = mergeSettings(ctx.settings.rateLimits, patch);
    return ctx.settings.rateLimits;
  });
  route('GET', /^\/_sandbox\/timing$/, () => ctx.settings.timing);
  route('PUT', /^\/_sandbox\/timing$/, (rc) => {
    const b = body(rc);
    const patch: Partial<TimingSettings> = {};
    for (const k of ['firstEventDelayMs', 'eventSpacingMs', 'webhookMaxAttempts', 'webhookRetryBaseMs', 'webhookTimeoutMs'] as const) {
      const v = optNumber(b, k);
      if (v !== undefined) patch[k] = v;
    }
    ctx.settings.timing = { ...ctx.settings.timing, ...patch };
    return ctx.settings.timing;
  });

  route('GET', /^\/_sandbox\/twilio\/status-callbacks$/, () => ({ enabled: ctx.settings.twilioStatusCallbacks }));
  route('PUT', /^\/_sandbox\/twilio\/status-callbacks$/, (rc) => {
    const { enabled } = body(rc);
    if (typeof enabled !== 'boolean') throw new ControlError(400, 'VALIDATION_FAILED', 'enabled must be a boolean');
    ctx.settings.twilioStatusCallbacks = enabled;
    return { enabled };
  });

  // Behaviour
  route('GET', /^\/_sandbox\/behaviour$/, () => ({
    seed: ctx.behaviour.seed,
    rates: ctx.behaviour.rates,
    overrides: ctx.behaviour.listOverrides(),
  }));
  route('PUT', /^\/_sandbox\/behaviour$/, (rc) => {
    const b = body(rc);
    const seed = b.seed;
    if (seed !== undefined) {
      if (typeof seed !== 'string' && typeof seed !== 'number')
        throw new ControlError(400, 'VALIDATION_FAILED', 'seed must be a string or number');
      ctx.behaviour.seed = String(seed);
    }
    if (b.rates !== undefined) {
      const rates = asObject(b.rates, 'rates');
      for (const [k, v] of Object.entries(rates)) {
        if (!(k in ctx.behaviour.rates))
          throw new ControlError(400, 'VALIDATION_FAILED', `unknown rate: ${k}`, { allowed: Object.keys(ctx.behaviour.rates) });
        if (typeof v !== 'number' || v < 0 || v > 1) throw new ControlError(400, 'VALIDATION_FAILED', `rate ${k} must be within [0, 1]`);
        ctx.behaviour.rates[k as keyof BehaviourRates] = v;
      }
    }
    return { seed: ctx.behaviour.seed, rates: ctx.behaviour.rates };
  });
  route('GET', /^\/_sandbox\/behaviour\/overrides$/, () => ({ items: ctx.behaviour.listOverrides() }));
  route('POST', /^\/_sandbox\/behaviour\/overrides$/, (rc) => {
    const b = body(rc);
    const match = reqString(b, 'match');
    if (!isValidPattern(match)) throw new ControlError(400, 'INVALID_PATTERN', `match is not a valid glob or regex: ${match}`);
    rc.res.statusCode = 201;
    return ctx.behaviour.addOverride(match, behaviourPatch(asObject(b.behaviour ?? {}, 'behaviour')));
  });
  route('DELETE', /^\/_sandbox\/behaviour\/overrides$/, () => {
    ctx.behaviour.clearOverrides();
    return { cleared: true };
  });
  route('DELETE', /^\/_sandbox\/behaviour\/overrides\/([^/]+)$/, (rc) => {
    if (!ctx.behaviour.removeOverride(rc.params[0])) throw notFound('override', rc.params[0]);
    return { deleted: rc.params[0] };
  });

  // Credentials
  route('GET', /^\/_sandbox\/credentials$/, () => ctx.credentials.summary());
  route('PUT', /^\/_sandbox\/credentials$/, (rc) => {
    const strict = optBoolean(body(rc), 'strict');
    if (strict !== undefined) ctx.credentials.strict = strict;
    return ctx.credentials.summary();
  });
  route('POST', /^\/_sandbox\/credentials\/twilio$/, (rc) => {
    const b = body(rc);
    ctx.credentials.twilio.set(reqString(b, 'accountSid'), reqString(b, 'authToken'));
    return ctx.credentials.summary();
  });
  route('POST', /^\/_sandbox\/credentials\/mailgun$/, (rc) => {
    const b = body(rc);
    const entry: { apiKey?: string; webhookSigningKey?: string } = {};
    const apiKey = optString(b, 'apiKey');
    const signingKey = optString(b, 'webhookSigningKey');
    if (apiKey) entry.apiKey = apiKey;
    if (signingKey) entry.webhookSigningKey = signingKey;
    ctx.credentials.mailgun.set(reqString(b, 'domain'), entry);
    return ctx.credentials.summary();
  });
  route('POST', /^\/_sandbox\/credentials\/whatsapp$/, (rc) => {
    const b = body(rc);
    const id = reqString(b, 'phoneNumberId');
    const entry: { accessToken?: string; appSecret?: string } = {};
    const token = optString(b, 'accessToken');
    const secret = optString(b, 'appSecret');
    if (token) entry.accessToken = token;
    if (secret) entry.appSecret = secret;
    ctx.credentials.whatsapp.set(id, entry);
    const display = optString(b, 'displayPhoneNumber');
    const waba = optString(b, 'wabaId');
    const level = optString(b, 'throughputLevel');
    const tier = optString(b, 'messagingLimitTier');
    if (level !== undefined && !(level in WHATSAPP_THROUGHPUT))
      throw new ControlError(400, 'VALIDATION_FAILED', `throughputLevel must be one of ${Object.keys(WHATSAPP_THROUGHPUT).join(', ')}`);
    if (tier !== undefined && !(WHATSAPP_MESSAGING_TIERS as readonly string[]).includes(tier))
      throw new ControlError(400, 'VALIDATION_FAILED', `messagingLimitTier must be one of ${WHATSAPP_MESSAGING_TIERS.join(', ')}`);
    if (display || waba || level || tier)
      states.whatsapp.numbers.set(id, {
        ...(display ? { displayPhoneNumber: display } : {}),
        ...(waba ? { wabaId: waba } : {}),
        ...(level ? { throughputLevel: level as WhatsappThroughputLevel } : {}),
        ...(tier ? { messagingLimitTier: tier as WhatsappMessagingTier } : {}),
      });
    return ctx.credentials.summary();
  });
  route('POST', /^\/_sandbox\/credentials\/google$/, (rc) => {
    const b = body(rc);
    const uris = b.redirectUris;
    if (uris !== undefined && (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string')))
      throw new ControlError(400, 'VALIDATION_FAILED', 'redirectUris must be an array of strings');
    ctx.credentials.google.set(reqString(b, 'clientId'), {
      clientSecret: reqString(b, 'clientSecret'),
      ...(uris ? { redirectUris: uris as string[] } : {}),
    });
    return ctx.credentials.summary();
  });
}
