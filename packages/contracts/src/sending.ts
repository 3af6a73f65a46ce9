import * as z from 'zod/mini';
import { IdSchema } from './channels';

export const MAX_REPORT_BATCH = 5000;

/** `POST /internal/v1/runs/{runId}/sending`: right before the provider calls of these messages. */
export const SendingRequestSchema = z.object({
  leaseId: IdSchema,
  messageIds: z.array(IdSchema).check(z.maxLength(MAX_REPORT_BATCH)),
});
export type SendingRequest = z.infer<typeof SendingRequestSchema>;

/** Why a message may not be sent: requeued after its lease expired, not in this lease, or its campaign stopped. */
export const SENDING_REJECT_REASONS = ['lease_expired', 'not_leased', 'cancelled', 'paused'] as const;
export type SendingRejectReason = (typeof SENDING_REJECT_REASONS)[number];

/** Only `accepted` ids may be sent; a rejected id must not be sent and needs no report. */
export const SendingAnswerSchema = z.object({
  accepted: z.array(IdSchema),
  rejected: z.array(z.object({ messageId: IdSchema, reason: z.enum(SENDING_REJECT_REASONS) })),
});
export type SendingAnswer = z.infer<typeof SendingAnswerSchema>;
