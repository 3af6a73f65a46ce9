import type { CsvRowError } from '../../components/CsvImportErrors';

export const SUPPRESSION_CHANNELS = ['email', 'sms', 'whatsapp', 'voice'] as const;
export const SUPPRESSION_REASONS = ['unsubscribed', 'bounced', 'complained', 'stop', 'manual'] as const;
export type SuppressionChannel = (typeof SUPPRESSION_CHANNELS)[number];
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export const CHANNEL_LABELS: Record<SuppressionChannel, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp', voice: 'Voice' };
export const REASON_LABELS: Record<SuppressionReason, string> = {
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
  complained: 'Complained',
  stop: 'Replied STOP',
  manual: 'Added by hand',
};

/** GET /api/v1/suppressions (backend suppressions.service.ts `presentSuppression`). */
export interface Suppression {
  id: string;
  channel: SuppressionChannel;
  address: string;
  reason: SuppressionReason;
  source: string;
  createdAt: string;
}

/** POST /api/v1/suppressions/import */
export interface SuppressionImportReport {
  rows: number;
  created: number;
  existing: number;
  failed: number;
  errors: CsvRowError[];
  errorsTruncated: boolean;
}
