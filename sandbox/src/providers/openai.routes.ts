import { createHash } from 'node:crypto';
import type { Router } from '../http/router';
import { bearerToken, jsonBody, type RequestContext } from '../http/request-context';
import { sendJson } from '../http/respond';
import { controlRoutes } from '../control/control-kit';

/**
 * A deterministic stand-in for an OpenAI-compatible chat completions API (`POST /v1/chat/completions`), for the
 * backend's AI template drafting. Any Bearer key is accepted but the ones below; the answer is a template built from
 * the request (its channel, goal and lead fields), the same request always answering the same template.
 *
 * - key `sk-sandbox-invalid` (or none): 401 `invalid_api_key`, as OpenAI answers a wrong key;
 * - `[sandbox:429]` anywhere in the messages: 429 `rate_limit_exceeded` with Retry-After: 1;
 * - `[sandbox:malformed]`: a completion whose content is not JSON;
 * - `[sandbox:invalid-template]`: JSON whose template has a Liquid syntax error, every time;
 * - `[sandbox:invalid-once]`: that broken template until the conversation holds an earlier answer (a retry), then a good one;
 * - `[sandbox:500]`: 500 `server_error`.
 *
 * The channel is read from the system message ("email / sms / whatsapp / voice message templates"), the lead fields
 * from "lead fields: a, b.", the goal from a "Goal:" line, an action from "Rewrite / Shorten / variant B".
 */
export const OPENAI_INVALID_KEY = 'sk-sandbox-invalid';

interface ChatRequest {
  model?: unknown;
  messages?: Array<{ role?: unknown; content?: unknown }>;
}

export interface OpenAiState {
  /** Requests received, newest last (at most 100): what the backend asked, with the key it sent. */
  requests: Array<{ key: string | undefined; model: string; messages: Array<{ role: string; content: string }> }>;
}

function openAiError(rc: RequestContext, status: number, type: string, code: string, message: string, headers?: Record<string, string>) {
  sendJson(rc.res, status, { error: { message, type, param: null, code } }, headers);
}

export function registerOpenAi(router: Router): OpenAiState {
  const state: OpenAiState = { requests: [] };

  router.add('POST', /^\/v1\/chat\/completions$/, (rc) => {
    const key = bearerToken(rc);
    let request: ChatRequest;
    try {
      request = jsonBody(rc) as ChatRequest;
    } catch {
      return openAiError(rc, 400, 'invalid_request_error', 'invalid_json', 'We could not parse the JSON body of your request.');
    }
    const messages = (Array.isArray(request.messages) ? request.messages : []).map((m) => ({
      role: typeof m?.role === 'string' ? m.role : '',
      content: typeof m?.content === 'string' ? m.content : '',
    }));
    const model = typeof request.model === 'string' ? request.model : '';
    state.requests.push({ key, model, messages });
    if (state.requests.length > 100) state.requests.shift();

    if (!key || key === OPENAI_INVALID_KEY)
      return openAiError(
        rc,
        401,
        'invalid_request_error',
        'invalid_api_key',
        'Incorrect API key provided. You can find your API key in your account settings.',
      );
    if (!model) return openAiError(rc, 400, 'invalid_request_error', 'missing_model', 'you must provide a model parameter');
    if (messages.length === 0)
      return openAiError(rc, 400, 'invalid_request_error', 'missing_messages', "'messages' is a required property");
    const all = messages.map((m) => m.content).join('\n');
    if (all.includes('[sandbox:429]'))
      return openAiError(rc, 429, 'requests', 'rate_limit_exceeded', 'Rate limit reached for requests. Please try again in 1s.', {
        'retry-after': '1',
      });
    if (all.includes('[sandbox:500]'))
      return openAiError(rc, 500, 'server_error', 'server_error', 'The server had an error while processing your request.');

    const retried = messages.some((m) => m.role === 'assistant');
    let content: string;
    if (all.includes('[sandbox:malformed]')) content = 'Sure! Here is your template: Hi there, …';
    else if (all.includes('[sandbox:invalid-template]') || (all.includes('[sandbox:invalid-once]') && !retried))
      content = JSON.stringify(brokenTemplate(channelOf(messages)));
    else content = JSON.stringify(draftFor(messages));

    const id = `chatcmpl-${createHash('sha256').update(JSON.stringify({ model, messages })).digest('hex').slice(0, 24)}`;
    const promptTokens = Math.ceil(all.length / 4);
    const completionTokens = Math.ceil(content.length / 4);
    sendJson(rc.res, 200, {
      id,
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  });

  const route = controlRoutes(router);
  route('GET', /^\/_sandbox\/openai\/requests$/, () => ({ items: state.requests }));
  route('DELETE', /^\/_sandbox\/openai\/requests$/, () => {
    state.requests.length = 0;
    return { ok: true };
  });
  return state;
}

type Channel = 'email' | 'sms' | 'whatsapp' | 'voice';

function channelOf(messages: Array<{ role: string; content: string }>): Channel {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  return (/\b(email|sms|whatsapp|voice) message templates?\b/i.exec(system)?.[1]?.toLowerCase() as Channel | undefined) ?? 'email';
}

function fieldsOf(messages: Array<{ role: string; content: string }>): string[] {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const list = /lead fields:\s*([^.\n]*)/i.exec(system)?.[1] ?? 'first_name';
  return list
    .split(',')
    .map((f) => f.trim())
    .filter((f) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(f));
}

function brokenTemplate(channel: Channel): Record<string, unknown> {
  const broken = 'Hi {{ lead.first_name ';
  switch (channel) {
    case 'email':
      return { subject: 'Hello', html: `<p>${broken}</p>` };
    case 'sms':
      return { body: broken };
    case 'whatsapp':
      return { whatsapp: { name: 'Not A Name', language: 'en_US', parameters: [broken] } };
    case 'voice':
      return { voice: { mode: 'say', script: broken } };
  }
}

/** The goal (or the action on a template) and the lead fields, woven into the channel's shape. */
function draftFor(messages: Array<{ role: string; content: string }>): Record<string, unknown> {
  const channel = channelOf(messages);
  const fields = fieldsOf(messages);
  const user = messages.filter((m) => m.role === 'user')[0]?.content ?? '';
  const goalLine = /^Goal:\s*(.+)$/m.exec(user)?.[1]?.trim();
  const action = /^(Rewrite|Shorten|Write variant B)/m.exec(user)?.[1];
  const goal = clean(goalLine ?? 'Following up on our conversation');
  const label = action === 'Shorten' ? 'Short' : action === 'Write variant B' ? 'Variant B' : action === 'Rewrite' ? 'Rewritten' : '';
  const first = fields.includes('first_name') ? 'first_name' : fields[0];
  const greetingName = first ? `{{ lead.${first} | default: "there" }}` : 'there';
  const others = fields.filter((f) => f !== first).slice(0, 3);
  const extras = others.map((f) => `${f.replace(/_/g, ' ')}: {{ lead.${f} | default: "-" }}`);
  const short = action === 'Shorten';
  const title = `${label ? `${label}: ` : ''}${goal.length > 60 ? `${goal.slice(0, 57)}...` : goal}`;
  switch (channel) {
    case 'email': {
      const lines = [`Hi ${greetingName},`, `${goal}.`, ...(short ? [] : extras), 'Best regards'];
      return { subject: title, html: lines.map((l) => `<p>${l}</p>`).join(''), text: lines.join('\n\n') };
    }
    case 'sms':
      return { body: `${label ? `${label}: ` : ''}Hi ${greetingName}, ${goal.slice(0, short ? 80 : 200)}.` };
    case 'whatsapp': {
      const slug =
        `${label ? `${label}_` : ''}${goal}`
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '_')
          .replace(/^_+|_+$/g, '')
          .slice(0, 40) || 'draft';
      return {
        whatsapp: {
          name: slug,
          language: 'en_US',
          parameters: [greetingName, ...others.map((f) => `{{ lead.${f} | default: "-" }}`)].slice(0, short ? 1 : 4),
        },
      };
    }
    case 'voice':
      return {
        voice: { mode: 'say', script: `Hello ${greetingName}. ${goal}. ${short ? '' : 'Thank you for your time. Goodbye.'}`.trim() },
      };
  }
}

/** The goal as plain text: no Liquid or HTML of the requester's reaches the template, no trailing stop. */
function clean(text: string): string {
  return (
    text
      .replace(/\[sandbox:[^\]]*\]/g, '')
      .replace(/[{}<>]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/[.!?]+$/, '')
      .slice(0, 300) || 'Following up on our conversation'
  );
}
