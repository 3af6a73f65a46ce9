import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { checkAiBaseUrl } from '../channels/provider-url.policy';
import { check } from './ai-drafting.service';

describe('checkAiBaseUrl: the channels URL policy for an AI provider base URL', () => {
  const strict = { customEndpoints: false, allowlist: [] };
  const dev = { customEndpoints: true, allowlist: ['127.0.0.1'] };

  it('allows any public https host with a path, and nothing else, when custom endpoints are off', () => {
    assert.deepEqual(checkAiBaseUrl('https://api.openai.com/v1', strict), { ok: true, host: 'api.openai.com', needsResolution: true });
    assert.equal(checkAiBaseUrl('https://openrouter.ai/api/v1', strict).ok, true);
    for (const url of [
      'http://api.openai.com/v1',
      'http://127.0.0.1:4010/v1',
      'https://127.0.0.1/v1',
      'https://localhost/v1',
      'https://10.0.0.1/v1',
      'https://[::1]/v1',
      'https://169.254.169.254/v1',
      'https://metadata.google.internal/v1',
      'https://api.openai.com/v1?x=1',
      'https://api.openai.com/v1#x',
      'https://k:s@api.openai.com/v1',
      'file:///etc/passwd',
      'not a url',
    ])
      assert.equal(checkAiBaseUrl(url, strict).ok, false, url);
  });

  it('allows plain http and an allowlisted loopback host only with custom endpoints on (the sandbox)', () => {
    assert.deepEqual(checkAiBaseUrl('http://127.0.0.1:4010/v1', dev), { ok: true, host: '127.0.0.1', needsResolution: false });
    assert.equal(checkAiBaseUrl('http://127.0.0.2:4010/v1', dev).ok, false);
    assert.equal(checkAiBaseUrl('http://169.254.169.254/v1', { customEndpoints: true, allowlist: ['169.254.169.254'] }).ok, false);
    assert.equal(checkAiBaseUrl('http://127.0.0.1:4010/v1', { customEndpoints: false, allowlist: ['127.0.0.1'] }).ok, false);
  });
});

describe("check: a completion's draft, parsed and validated like a save", () => {
  it('keeps only the fields of the channel and validates the Liquid', () => {
    const ok = check('sms', '```json\n{"body": "Hi {{ lead.first_name | default: \\"there\\" }}", "subject": "ignored"}\n```');
    assert.deepEqual(ok, {
      ok: true,
      draft: {
        channel: 'sms',
        subject: null,
        html: null,
        text: null,
        body: 'Hi {{ lead.first_name | default: "there" }}',
        whatsapp: null,
        voice: null,
      },
    });
    const missing = check('email', '{"body": "Hi"}');
    assert.equal(missing.ok, false);
    const broken = check('sms', '{"body": "Hi {% if %}"}');
    assert.equal(broken.ok, false);
    assert.equal(check('sms', 'Sure! here it is').ok, false);
    const streamed = check('voice', '{"voice": {"mode": "say", "script": "Hello", "streamUrl": "wss://evil.example"}}');
    assert.ok(streamed.ok && !('streamUrl' in (streamed.draft.voice as object)), 'a model never sets a stream URL');
  });
});
