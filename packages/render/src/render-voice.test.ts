import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildRenderContext, renderTemplate, TemplateRenderError } from './index';
import type { RenderResult } from './index';

const context = buildRenderContext({
  lead: { id: 'lead-1', firstName: `Tom & "Jerry"`, lastName: "<O'Neil>", attributes: { note: 'a\u0007b' } },
  message: { id: 'msg-9' },
});

function twiml(result: RenderResult): string {
  assert.ok(result.status === 'rendered' && result.channel === 'voice', JSON.stringify(result));
  return result.twiml;
}

describe('renderTemplate: voice', () => {
  it('speaks the script with Say, XML-escaped', () => {
    const out = twiml(
      renderTemplate(
        {
          channel: 'voice',
          voice: { script: 'Hello {{ lead.firstName }} {{ lead.lastName }}, <b>', voice: 'Polly.Joanna', language: 'en-US' },
        },
        context,
      ),
    );
    assert.equal(
      out,
      `<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna" language="en-US">` +
        `Hello Tom &amp; &quot;Jerry&quot; &lt;O&apos;Neil&gt;, &lt;b&gt;</Say></Response>`,
    );
  });

  it('escapes attributes and drops characters XML cannot carry', () => {
    const out = twiml(renderTemplate({ channel: 'voice', voice: { script: '{{ lead.note }}', voice: `x" onload="y` } }, context));
    assert.equal(out, `<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="x&quot; onload=&quot;y">ab</Say></Response>`);
  });

  it('connects agent mode to the stream with lead and message parameters', () => {
    const out = twiml(
      renderTemplate(
        { channel: 'voice', voice: { mode: 'agent', streamUrl: 'wss://agent.example/stream?c=1&lead={{ lead.id }}' } },
        context,
      ),
    );
    assert.equal(
      out,
      `<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://agent.example/stream?c=1&amp;lead=lead-1">` +
        `<Parameter name="leadName" value="Tom &amp; &quot;Jerry&quot; &lt;O&apos;Neil&gt;"/>` +
        `<Parameter name="leadFirstName" value="Tom &amp; &quot;Jerry&quot;"/>` +
        `<Parameter name="leadId" value="lead-1"/><Parameter name="messageId" value="msg-9"/>` +
        `</Stream></Connect></Response>`,
    );
  });

  it('hands the agent the campaign, the rendered prompt and first message, the provider and where to report', () => {
    const agentContext = buildRenderContext({
      lead: { id: 'lead-1', firstName: 'Ada', attributes: { plan: 'Pro & more' } },
      campaign: { id: 'camp-1', name: 'Renewals' },
      message: { id: 'msg-9', agentOutcomeUrl: 'https://cadence.example/webhooks/agent/tok' },
      sender: { agentProvider: 'elevenlabs' },
    });
    const out = twiml(
      renderTemplate(
        {
          channel: 'voice',
          voice: {
            mode: 'agent',
            streamUrl: 'wss://a.example/s',
            prompt: 'You call {{ lead.firstName }} about the {{ lead.plan }} plan of {{ campaign.name }}.',
            firstMessage: 'Hi {{ lead.firstName }}!',
          },
        },
        agentContext,
      ),
    );
    const params = Object.fromEntries([...out.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]));
    assert.deepEqual(
      {
        campaignId: params.campaignId,
        leadId: params.leadId,
        messageId: params.messageId,
        prompt: params.prompt,
        firstMessage: params.firstMessage,
        agentProvider: params.agentProvider,
        outcomeUrl: params.outcomeUrl,
      },
      {
        campaignId: 'camp-1',
        leadId: 'lead-1',
        messageId: 'msg-9',
        prompt: 'You call Ada about the Pro &amp; more plan of Renewals.',
        firstMessage: 'Hi Ada!',
        agentProvider: 'elevenlabs',
        outcomeUrl: 'https://cadence.example/webhooks/agent/tok',
      },
    );
  });

  it('a prompt naming a variable the lead lacks skips the message like any other field', () => {
    const result = renderTemplate(
      { channel: 'voice', voice: { mode: 'agent', streamUrl: 'wss://a.example/s', prompt: 'Ask about {{ lead.nickname }}' } },
      context,
    );
    assert.equal(result.status, 'skipped');
  });

  it('speaks an agent-mode script before connecting', () => {
    const out = twiml(
      renderTemplate({ channel: 'voice', voice: { mode: 'agent', streamUrl: 'wss://a.example/s', script: 'One moment.' } }, context),
    );
    assert.match(out, /<Response><Say>One moment\.<\/Say><Connect><Stream url="wss:\/\/a\.example\/s">/);
  });

  it('refuses a stream URL that does not render to wss://', () => {
    assert.throws(
      () => renderTemplate({ channel: 'voice', voice: { mode: 'agent', streamUrl: "{{ 'http://x.example' }}" } }, context),
      (err: unknown) => err instanceof TemplateRenderError && err.code === 'render_invalid_output' && err.field === 'voice.streamUrl',
    );
  });

  it('bridges in bridge mode: says the script to the answerer, then dials the number from the caller id with the action URL', () => {
    const out = twiml(
      renderTemplate(
        {
          channel: 'voice',
          voice: {
            mode: 'bridge',
            script: 'Connecting you to {{ lead.firstName }}',
            dial: '+14155550123',
            callerId: '+14155550100',
            dialActionUrl: 'https://api.example/webhooks/twilio/ch/dial?cadenceCallId=1&m={{ message.id }}',
          },
        },
        context,
      ),
    );
    assert.equal(
      out,
      `<?xml version="1.0" encoding="UTF-8"?><Response><Say>Connecting you to Tom &amp; &quot;Jerry&quot;</Say>` +
        `<Dial callerId="+14155550100" action="https://api.example/webhooks/twilio/ch/dial?cadenceCallId=1&amp;m=msg-9" method="POST">` +
        `<Number>+14155550123</Number></Dial></Response>`,
    );
  });

  it('refuses a bridge whose number does not render to E.164', () => {
    assert.throws(
      () => renderTemplate({ channel: 'voice', voice: { mode: 'bridge', dial: '{{ lead.firstName }}' } }, context),
      (err: unknown) => err instanceof TemplateRenderError && err.code === 'render_invalid_output' && err.field === 'voice.dial',
    );
  });
});
