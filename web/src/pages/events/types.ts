import type { LeadRef } from '../campaigns/types';

/** One item of `GET /api/v1/events`: something a system reported about a lead. */
export interface LeadEvent {
  id: string;
  name: string;
  leadId: string;
  lead: LeadRef | null;
  properties: Record<string, unknown> | null;
  occurredAt: string;
  receivedAt: string;
  idempotencyKey: string | null;
}

/** One item of `GET /api/v1/events/names`: a name seen in the last 30 days. */
export interface EventName {
  name: string;
  count: number;
  lastAt: string;
}

/** TRIGGERS-SPEC: 1..100 characters, starting with a letter or digit. */
export const EVENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
export const EVENT_NAME_MAX = 100;
