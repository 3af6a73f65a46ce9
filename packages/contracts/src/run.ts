import * as z from 'zod/mini';
import { IdSchema } from './channels';

/** The campaign's status, or `finished` when this run ended while the campaign is still active. */
export const RUN_STATUSES = ['draft', 'scheduled', 'active', 'paused', 'completed', 'cancelled', 'finished'] as const;

/** `GET /internal/v1/runs/{runId}`: the run and its campaign's message counts by status. */
export const RunReadSchema = z.object({
  runId: IdSchema,
  campaignId: IdSchema,
  organizationId: IdSchema,
  shard: z.int().check(z.minimum(0)),
  status: z.enum(RUN_STATUSES),
  counts: z.record(z.string(), z.number()),
});
export type RunRead = z.infer<typeof RunReadSchema>;

/** `GET /internal/v1/ping`: the credential test. */
export const PingAnswerSchema = z.object({ ok: z.literal(true), version: z.string() });
export type PingAnswer = z.infer<typeof PingAnswerSchema>;
