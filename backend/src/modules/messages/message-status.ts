export const MESSAGE_STATUSES = ['queued', 'leased', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'skipped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const SKIP_REASONS = [
  'missing_address',
  'suppressed',
  'no_consent',
  'condition_not_met',
  'missing_variable',
  'token_revoked',
  'cancelled',
  'lead_deleted',
  'sender_unavailable',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
