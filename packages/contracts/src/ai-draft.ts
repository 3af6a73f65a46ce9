import * as z from 'zod/mini';

/**
 * AI template drafting (backend `POST /api/v1/templates/draft`): the JSON object the model is asked to answer in
 * its chat completion's message content, and the parts of an OpenAI-compatible chat completion the backend reads.
 * The provider sandbox's stand-in answers with the same shape. Not an n8n wire shape.
 */
export const AiTemplateDraftSchema = z.object({
  subject: z.optional(z.string().check(z.maxLength(500))),
  html: z.optional(z.string().check(z.maxLength(100_000))),
  text: z.optional(z.string().check(z.maxLength(20_000))),
  body: z.optional(z.string().check(z.maxLength(5_000))),
  whatsapp: z.optional(
    z.object({
      name: z.string().check(z.maxLength(512)),
      language: z.string().check(z.maxLength(20)),
      parameters: z.optional(z.array(z.string().check(z.maxLength(1_000))).check(z.maxLength(20))),
    }),
  ),
  // A spoken script only: stream and dial targets are a person's decision, never a model's.
  voice: z.optional(
    z.object({
      mode: z.optional(z.literal('say')),
      script: z.string().check(z.maxLength(5_000)),
      voice: z.optional(z.string().check(z.maxLength(100))),
      language: z.optional(z.string().check(z.maxLength(20))),
    }),
  ),
});
export type AiTemplateDraft = z.infer<typeof AiTemplateDraftSchema>;

/** The parts of an OpenAI-compatible `POST /chat/completions` answer that drafting reads. */
export const ChatCompletionSchema = z.object({
  model: z.optional(z.string()),
  choices: z
    .array(
      z.object({
        message: z.object({ role: z.optional(z.string()), content: z.nullable(z.string()) }),
        finish_reason: z.optional(z.nullable(z.string())),
      }),
    )
    .check(z.minLength(1)),
});
export type ChatCompletion = z.infer<typeof ChatCompletionSchema>;
