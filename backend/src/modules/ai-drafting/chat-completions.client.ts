import { ChatCompletionSchema, parseContract } from '@cadence/contracts';
import { AppError } from '../../common/errors/app-error';

/** How long one completion may take, and how large its answer may be. */
export const COMPLETION_TIMEOUT_MS = 20_000;
export const MAX_COMPLETION_BYTES = 512 * 1024;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ProviderConfig {
  baseUrl: string;
  model: string;
  apiKey: string;
}

/**
 * One call to an OpenAI-compatible `POST {baseUrl}/chat/completions` asking for a JSON object. Answers the
 * message content. Failures become AppErrors with stable codes; neither the key nor the provider's own
 * error text (which may quote the key) is put in a message, detail or log.
 */
export async function chatCompletion(
  config: ProviderConfig,
  messages: ChatMessage[],
  timeoutMs = COMPLETION_TIMEOUT_MS,
): Promise<{ content: string; model: string }> {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ model: config.model, messages, response_format: { type: 'json_object' }, temperature: 0.4 }),
      // A redirect would carry the key elsewhere: the configured URL is the one that was checked.
      redirect: 'error',
      signal,
    });
  } catch (error) {
    throw transportError(error);
  }
  let text: string;
  try {
    text = await readBounded(res, MAX_COMPLETION_BYTES);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw transportError(error);
  }
  if (res.status === 401 || res.status === 403)
    throw new AppError('ai_provider_unauthorized', `The AI provider refused the API key (HTTP ${res.status})`, {
      providerStatus: res.status,
    });
  if (res.status === 429) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new AppError('ai_provider_rate_limited', 'The AI provider is rate limiting this key (HTTP 429); try again shortly', {
      providerStatus: 429,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 && { retryAfterSeconds: retryAfter }),
    });
  }
  if (!res.ok) throw new AppError('ai_provider_error', `The AI provider answered HTTP ${res.status}`, { providerStatus: res.status });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('ai_provider_error', 'The AI provider answered something that is not JSON', { providerStatus: res.status });
  }
  const parsed = parseContract(ChatCompletionSchema, json);
  if (!parsed.ok || parsed.data.choices[0].message.content === null)
    throw new AppError('ai_draft_invalid', 'The AI provider answered without a completion message', {
      problems: ['no choices[0].message.content'],
    });
  return { content: parsed.data.choices[0].message.content, model: parsed.data.model ?? config.model };
}

function transportError(error: unknown): AppError {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return new AppError('ai_provider_timeout', `The AI provider did not answer within ${COMPLETION_TIMEOUT_MS / 1000} s`);
  return new AppError('ai_provider_error', 'The AI provider could not be reached');
}

/** The body as text, refusing (and abandoning) one larger than `max` bytes. */
async function readBounded(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new AppError('ai_provider_error', `The AI provider's answer is larger than ${max} bytes`);
  }
  if (!res.body) return '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new AppError('ai_provider_error', `The AI provider's answer is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
