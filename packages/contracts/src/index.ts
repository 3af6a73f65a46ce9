/**
 * @cadence/contracts: the backend <-> n8n wire contract (docs/internal-api.md) as zod schemas.
 * Types come from the schemas (`z.infer`), so what the backend builds, what it validates and what
 * the nodes read cannot drift apart.
 */
export * from './channels';
export * from './templates';
export * from './trigger';
export * from './lease';
export * from './sending';
export * from './outcomes';
export * from './results';
export * from './handoff';
export * from './run';
export * from './events';
export * from './threading';
export * from './validation';
export * from './provider-hosts';
export * from './lead-columns';
export * from './analytics-counts';
export * from './template-library';
export * from './voice-agent';
export * from './sheets';
export * from './ai-draft';
