import * as z from 'zod/mini';
import { IdSchema } from './channels';
import { OutcomeSchema, SKIP_REASONS } from './outcomes';
import { MAX_REPORT_BATCH } from './sending';

/** Longest deferral n8n may ask for. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const clipped = (max: number) =>
  z.pipe(
    z.union([z.string(), z.number()]),
    z.transform((v: string | number) => String(v).slice(0, max)),
  );

/**
 * A provider's sending time as ISO 8601, or undefined when it is not a time of this era: JavaScript parses what
 * PostgreSQL would refuse ("1" is the year 2001 to it), so the backend gets the time JavaScript read, not the text.
 */
function sentAtOf(text: string): string | undefined {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  const at = new Date(ms);
  return at.getUTCFullYear() >= 1970 && at.getUTCFullYear() <= 9999 ? at.toISOString() : undefined;
}

/**
 * One message's outcome. Lenient where being strict would lose a report: long provider texts are
 * clipped, a numeric error code becomes a string, `retryAfterMs` is clamped to whole milliseconds, `sentAt`
 * becomes ISO 8601 and an unparsable one is dropped (the backend's clock is used instead).
 */
export const ResultSchema = z.pipe(
  z
    .object({
      messageId: IdSchema,
      outcome: OutcomeSchema,
      providerMessageId: z.optional(
        z.pipe(
          z.string(),
          z.transform((v: string) => v.slice(0, 255)),
        ),
      ),
      errorCode: z.optional(clipped(100)),
      errorMessage: z.optional(clipped(1000)),
      retryAfterMs: z.optional(
        z.pipe(
          z.number(),
          // Whole milliseconds: the backend stores an integer (a fraction was refused there, a 500).
          z.transform((v: number) => Math.round(Math.max(0, Math.min(v, MAX_RETRY_AFTER_MS)))),
        ),
      ),
      reason: z.optional(z.string()),
      sentAt: z.optional(
        z.pipe(
          z.string(),
          z.transform((v: string) => sentAtOf(v)),
        ),
      ),
    })
    .check(
      z.superRefine((r, ctx) => {
        if (r.outcome === 'skipped' && r.reason !== undefined && !(SKIP_REASONS as readonly string[]).includes(r.reason)) {
          ctx.addIssue({ code: 'custom', path: ['reason'], message: `reason must be one of ${SKIP_REASONS.join(', ')}`, input: r.reason });
        }
      }),
    ),
  // Absent, not undefined: the idempotency hash and the SQL see only what was sent.
  z.transform(<T extends object>(r: T) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as T),
);
/** What n8n sends (numbers allowed where the backend stores text). */
export type ReportResult = z.input<typeof ResultSchema>;
/** What the backend applies. */
export type ResultInput = z.output<typeof ResultSchema>;

/** `POST /internal/v1/runs/{runId}/results` body (with an `Idempotency-Key` header). */
export const ResultsRequestSchema = z.object({
  leaseId: IdSchema,
  results: z.array(ResultSchema).check(z.maxLength(MAX_REPORT_BATCH)),
});
export type ResultsRequest = z.infer<typeof ResultsRequestSchema>;

/** `applied`: results that changed a message; `ignored`: not leased by this lease, or already settled. */
export const ResultsAnswerSchema = z.object({
  applied: z.int().check(z.minimum(0)),
  ignored: z.int().check(z.minimum(0)),
});
export type ResultsAnswer = z.infer<typeof ResultsAnswerSchema>;
