import type { CsvRowError } from '../../components/CsvImportErrors';
import { CHANNELS as CONSENT_CHANNELS } from '@cadence/contracts/src/channel-names';

/** The channels a lead consents to (the backend's CONSENT_CHANNELS). */

export { CONSENT_CHANNELS };
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CHANNEL_LABELS: Record<ConsentChannel, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp', voice: 'Voice' };

/** GET /api/v1/leads/:id */
export interface Lead {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  timezone: string | null;
  attributes: Record<string, unknown>;
  /** true: opted in; false: opted out; absent: never asked. */
  consent: Partial<Record<ConsentChannel, boolean>>;
  createdAt: string;
  updatedAt: string;
}

/** GET /api/v1/leads/:id/messages */
export interface LeadMessage {
  id: string;
  /** `conversationId`: an answer from the inbox, shown in its conversation rather than a campaign page. */
  campaign: { id: string; name: string; conversationId: string | null };
  stepId: string;
  position: number;
  channel: string;
  to: string | null;
  status: string;
  skipReason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  dueAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** POST /api/v1/leads/import */
export interface LeadImportReport {
  rows: number;
  created: number;
  updated: number;
  failed: number;
  errors: CsvRowError[];
  errorsTruncated: boolean;
}

export const leadName = (l: Pick<Lead, 'firstName' | 'lastName'>) => [l.firstName, l.lastName].filter(Boolean).join(' ');
