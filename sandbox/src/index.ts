export { startSandbox, DEFAULT_SECRETS, type RunningSandbox } from './sandbox-server';
export type { SandboxOptions, RateLimitSettings, TimingSettings, DefaultSecrets, Provider } from './config';
export { optionsFromEnv } from './config';
export type { SandboxMessage, DuplicateGroup, MessageEvent } from './core/store';
export type { FaultSpec, FaultRule, FaultType } from './core/fault-injector';
export type { Behaviour, BehaviourRates } from './core/behaviour-simulator';
export type { WebhookDelivery } from './core/webhook-dispatcher';
export { mailgunSignature, twilioSignature, whatsappSignature } from './core/signers';
export { OPENAI_INVALID_KEY } from './providers/openai.routes';
