import { z } from "zod";
import { IdSchema } from "./channels";
import { OutcomeSchema, SkipReasonSchema } from "./outcomes";
import { MAX_REPORT_BATCH } from "./sending";

/** Longest deferral n8n may ask for. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const clipped = (max: number) => z.union([z.string(), z.number()]).transform((v) => String(v).slice(0, max));

/**
 * One message's outcome. Lenient where being strict would lose a report: long provider texts are
 * clipped, a numeric error code becomes a string, `retryAfterMs` is clamped and an unparsable
 * `sentAt` is dropped (the backend's clock is used instead).
 */
export const ResultSchema = z
  .object({
    messageId: IdSchema,
    outcome: OutcomeSchema,
    providerMessageId: z.string().transform((v) => v.slice(0, 255)).optional(),
    errorCode: clipped(100).optional(),
    errorMessage: clipped(1000).optional(),
    retryAfterMs: z.number().transform((v) => Math.max(0, Math.min(v, MAX_RETRY_AFTER_MS))).optional(),
    reason: z.string().optional(),
    sentAt: z.string().transform((v) => (Number.isNaN(Date.parse(v)) ? undefined : v)).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.outcome === "skipped" && r.reason !== undefined && !SkipReasonSchema.safeParse(r.reason).success) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: `reason must be one of ${SkipReasonSchema.options.join(", ")}` });
    }
  })
  .transform((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as typeof r);
/** What n8n sends (numbers allowed where the backend stores text). */
export type ReportResult = z.input<typeof ResultSchema>;
/** What the backend applies. */
export type ResultInput = z.output<typeof ResultSchema>;

/** `POST /internal/v1/runs/{runId}/results` body (with an `Idempotency-Key` header). */
export const ResultsRequestSchema = z.object({
  leaseId: IdSchema,
  results: z.array(ResultSchema).max(MAX_REPORT_BATCH),
});
export type ResultsRequest = z.infer<typeof ResultsRequestSchema>;

/** `applied`: results that changed a message; `ignored`: not leased by this lease, or already settled. */
export const ResultsAnswerSchema = z.object({
  applied: z.int().min(0),
  ignored: z.int().min(0),
});
export type ResultsAnswer = z.infer<typeof ResultsAnswerSchema>;
