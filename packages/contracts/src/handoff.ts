import * as z from 'zod/mini';

/** Why an execution stopped leasing while work may remain. */
export const HANDOFF_REASONS = ['iteration_limit', 'message_limit', 'data_limit', 'quota_wait'] as const;

/** `POST /internal/v1/runs/{runId}/handoff`: the backend ends the run and the scheduler starts the next one. */
export const HandoffRequestSchema = z.object({
  reason: z.optional(z.enum(HANDOFF_REASONS)),
});
export type HandoffRequest = z.infer<typeof HandoffRequestSchema>;

export const HandoffAnswerSchema = z.object({ ok: z.literal(true) });
export type HandoffAnswer = z.infer<typeof HandoffAnswerSchema>;
