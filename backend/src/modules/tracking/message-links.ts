import type { TrackingTokens } from './tracking-tokens';

/** A message's tracking links, each with its own purpose-bound token (tracking.controller.ts serves them). */
export function messageLinks(base: string, tokens: TrackingTokens, messageId: string) {
  const signed = {
    open: tokens.sign(messageId, 'open'),
    click: tokens.sign(messageId, 'click'),
    unsubscribe: tokens.sign(messageId, 'unsubscribe'),
  };
  return {
    tokens: signed,
    clickBaseUrl: `${base}/t/c/${signed.click}`,
    openPixelUrl: `${base}/t/o/${signed.open}.gif`,
    unsubscribeUrl: `${base}/u/${signed.unsubscribe}`,
  };
}

/** Where a voice call's AI agent reports the conversation's outcome (agent-outcome.controller.ts). */
export function agentOutcomeUrl(base: string, tokens: TrackingTokens, messageId: string): string {
  return `${base}/webhooks/agent/${tokens.sign(messageId, 'agent')}`;
}
