/**
 * The AI agent a voice call streams to (`<Connect><Stream>`): which provider runs it (a setting of the
 * Twilio channel, `agentProvider`) and what it reports when the conversation ends.
 */
export const AGENT_PROVIDERS = ['elevenlabs', 'openai_realtime'] as const;
export type AgentProvider = (typeof AGENT_PROVIDERS)[number];

/** How a conversation ended, as the agent reports it; `call_back` creates a callback request. */
export const AGENT_OUTCOMES = ['interested', 'call_back', 'not_interested'] as const;
export type AgentOutcome = (typeof AGENT_OUTCOMES)[number];
