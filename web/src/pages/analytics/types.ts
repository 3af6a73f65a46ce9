/** The shapes of GET /campaigns/{id}/analytics and GET /analytics (backend analytics.responses.ts). */
export interface Counts {
  sent: number;
  delivered: number;
  failed: number;
  unknown: number;
  skipped: number;
  opened: number;
  clicked: number;
  replied: number;
  unsubscribed: number;
  bounced: number;
  complained: number;
  read: number;
  answered: number;
  machineOpened: number;
  machineClicked: number;
  conversions: number;
}
export type RateKey = 'open' | 'click' | 'reply' | 'bounce' | 'unsubscribe' | 'complaint' | 'conversion';
export type Rates = Record<RateKey, number | null>;
export type Breakdown = Counts & { rates: Rates };
export interface Revenue {
  currency: string;
  amount: string;
}
export type SeriesPoint = Counts & { at: string };
export type Bucket = 'hour' | 'day';

interface Report {
  bucket: Bucket;
  totals: Counts;
  rates: Rates;
  skippedByReason: Record<string, number>;
  revenue: Revenue[];
  channels: Array<Breakdown & { channel: string }>;
  series: SeriesPoint[];
}
export interface CampaignAnalytics extends Report {
  campaignId: string;
  audienceSize: number;
  steps: Array<Breakdown & { stepId: string; position: number; channel: string; templateId: string | null }>;
  templates: Array<Breakdown & { templateId: string | null; templateName: string | null }>;
}
export interface OrganizationAnalytics extends Report {
  from: string;
  to: string;
  campaigns: Array<Breakdown & { campaignId: string; name: string }>;
}

export const RATE_LABELS: Record<RateKey, string> = {
  open: 'Open rate',
  click: 'Click rate',
  reply: 'Reply rate',
  bounce: 'Bounce rate',
  unsubscribe: 'Unsubscribe rate',
  complaint: 'Complaint rate',
  conversion: 'Conversion rate',
};

export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}
