import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, launchCampaign, postTwilioSigned, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';

const TOKEN = 'amd-twilio-token';
const PUBLIC_URL = 'https://cadence.example.com';

/**
 * Answering-machine detection on real PostgreSQL: the lease asks n8n to place the call with Twilio's
 * detection and a TwiML URL; the backend answers that URL per who picked up and the campaign's choice.
 */
describe('voice: answering-machine detection', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let receiver: TriggerReceiver;
  let channelId: string;
  let templateId: string;
  let prefix = 700;

  const api = (method: string, path: string, body?: unknown, as = key) => t.request(method, `/api/v1${path}`, { key: as, body });

  /** Asks for a call's TwiML as Twilio does once it knows who answered (signed with the channel's auth token). */
  async function answer(messageId: string, answeredBy: string | undefined, options: { token?: string; channel?: string } = {}) {
    return postTwilioSigned(
      t,
      PUBLIC_URL,
      options.token ?? TOKEN,
      `/webhooks/twilio/${options.channel ?? channelId}/call?cadenceMessageId=${messageId}`,
      {
        CallSid: `CA${'7'.repeat(32)}`,
        CallStatus: 'in-progress',
        Direction: 'outbound-api',
        ...(answeredBy && { AnsweredBy: answeredBy }),
      },
    );
  }

  /** A launched voice campaign to one lead named Ada; answers its lease item (what n8n receives). */
  async function leasedCall(settings: Record<string, unknown>, as = key, template = templateId, channel = channelId) {
    const lead = await api('POST', '/leads', { phone: `+1415${prefix++}0001`, firstName: 'Ada', consent: { voice: true } }, as);
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    const id = await launchCampaign(t, as, {
      name: 'Calls',
      type: 'blast',
      sender: { channelId: channel },
      audience: { leadIds: [lead.body.id] },
      steps: [{ channel: 'voice', templateId: template }],
      settings,
    });
    const [run]: Array<{ id: string }> = await t.dataSource.query('SELECT id FROM campaign_runs WHERE campaign_id = $1', [id]);
    const lease = await new FakeSender(t).call('POST', `/runs/${run.id}/lease`, {});
    assert.equal(lease.status, 200, JSON.stringify(lease.body));
    assert.equal(lease.body.items.length, 1, JSON.stringify(lease.body));
    return lease.body.items[0] as { messageId: string; callbacks: Record<string, string> };
  }

  async function twilioChannel(as: string, token: string) {
    const channel = await api(
      'POST',
      '/channels',
      {
        type: 'twilio',
        name: 'Calls',
        config: {
          accountSid: `AC${'4'.repeat(32)}`,
          from: '+14155550100',
          ratePerSecond: 1000,
          callsPerSecond: 1000,
          maxConcurrentCalls: 100,
        },
        secrets: { authToken: token },
      },
      as,
    );
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    return channel.body.id as string;
  }

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, PUBLIC_URL } });
    key = (await t.createOrg()).apiKey;
    otherKey = (await t.createOrg('Other')).apiKey;
    channelId = await twilioChannel(key, TOKEN);
    const template = await api('POST', '/templates', {
      name: 'Call',
      channel: 'voice',
      voice: { script: 'Hello {{ lead.first_name }}, this is {{ sender.from }}.', voice: 'Polly.Joanna' },
    });
    templateId = template.body.id;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('without a choice the call carries its TwiML inline: no detection, no TwiML URL', async () => {
    const item = await leasedCall({});
    assert.equal(item.callbacks.twimlUrl, undefined);
    assert.equal(item.callbacks.machineDetection, undefined);
  });

  it('voicemail: the lease asks for DetectMessageEnd and the TwiML URL; a machine hears the voicemail rendered for the lead, a person the script', async () => {
    const item = await leasedCall({
      answeringMachine: 'voicemail',
      voicemailScript: 'Hi {{ lead.first_name }}, {{ sender.from }} here. Call us back.',
    });
    assert.equal(item.callbacks.machineDetection, 'DetectMessageEnd');
    assert.equal(item.callbacks.twimlUrl, `${PUBLIC_URL}/webhooks/twilio/${channelId}/call?cadenceMessageId=${item.messageId}`);
    const machine = await answer(item.messageId, 'machine_end_beep');
    assert.equal(machine.status, 200);
    assert.match(machine.type, /xml/);
    // The voicemail speaks with the template's voice.
    assert.match(machine.body, /<Say voice="Polly\.Joanna">Hi Ada, \+14155550100 here\. Call us back\.<\/Say>/);
    const person = await answer(item.messageId, 'human');
    assert.match(person.body, /<Say voice="Polly\.Joanna">Hello Ada, this is \+14155550100\.<\/Say>/);
    assert.doesNotMatch(person.body, /Call us back/);
    // Twilio could not tell: a person may be listening, so they hear the script.
    assert.match((await answer(item.messageId, 'unknown')).body, /Hello Ada/);
  });

  it('hang_up: detection without waiting for the beep; a machine gets a bare hang-up, a person the script', async () => {
    const item = await leasedCall({ answeringMachine: 'hang_up' });
    assert.equal(item.callbacks.machineDetection, 'Enable');
    for (const by of ['machine_start', 'fax']) {
      const machine = await answer(item.messageId, by);
      assert.equal(machine.status, 200);
      assert.equal(machine.body, '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
    }
    assert.match((await answer(item.messageId, 'human')).body, /Hello Ada/);
  });

  it('treat_as_answered: a machine hears the same script as a person', async () => {
    const item = await leasedCall({ answeringMachine: 'treat_as_answered' });
    assert.equal(item.callbacks.machineDetection, 'Enable');
    assert.match(
      (await answer(item.messageId, 'machine_start')).body,
      /<Say voice="Polly\.Joanna">Hello Ada, this is \+14155550100\.<\/Say>/,
    );
  });

  it("agent mode: the fetched TwiML streams to the agent with the lead's parameters and the outcome URL", async () => {
    const agent = await api('POST', '/templates', {
      name: 'Agent',
      channel: 'voice',
      voice: {
        mode: 'agent',
        streamUrl: 'wss://agent.example.com/s',
        prompt: 'Qualify {{ lead.first_name }}',
        firstMessage: 'Hi {{ lead.first_name }}',
      },
    });
    assert.equal(agent.status, 201, JSON.stringify(agent.body));
    const item = await leasedCall({ answeringMachine: 'hang_up' }, key, agent.body.id);
    const person = await answer(item.messageId, 'human');
    assert.match(person.body, /<Stream url="wss:\/\/agent\.example\.com\/s">/);
    assert.match(person.body, /<Parameter name="prompt" value="Qualify Ada"\/>/);
    assert.match(person.body, new RegExp(`<Parameter name="outcomeUrl" value="${PUBLIC_URL}/webhooks/agent/[^"]+"/>`));
    assert.match(person.body, new RegExp(`<Parameter name="messageId" value="${item.messageId}"/>`));
  });

  it('refuses an unsigned or wrongly signed request (403 invalid_signature) and hangs up on a message it cannot name', async () => {
    const item = await leasedCall({ answeringMachine: 'hang_up' });
    const forged = await answer(item.messageId, 'human', { token: 'not-the-token' });
    assert.equal(forged.status, 403);
    assert.equal(JSON.parse(forged.body).code, 'invalid_signature');
    const hangUp = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
    assert.equal((await answer('not-a-uuid', 'human')).body, hangUp);
    assert.equal((await answer('00000000-0000-4000-8000-000000000000', 'human')).body, hangUp);
    // Another organization's channel, validly signed by it, cannot make this organization's message speak.
    const otherChannel = await twilioChannel(otherKey, 'other-token');
    const cross = await answer(item.messageId, 'human', { channel: otherChannel, token: 'other-token' });
    assert.equal(cross.status, 200);
    assert.equal(cross.body, hangUp);
  });

  it('a deleted lead is hung up on, not called by a blank script', async () => {
    const item = await leasedCall({ answeringMachine: 'voicemail', voicemailScript: 'Hi {{ lead.first_name }}' });
    const [{ lead_id }] = await t.dataSource.query('SELECT lead_id FROM messages WHERE id = $1', [item.messageId]);
    assert.equal((await api('DELETE', `/leads/${lead_id}`)).status, 204);
    assert.equal((await answer(item.messageId, 'human')).body, '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
  });

  it('checks the choice when the campaign is saved: a voicemail needs a script, and the script must be valid Liquid with known variables', async () => {
    const create = (settings: Record<string, unknown>) =>
      api('POST', '/campaigns', {
        name: 'Calls',
        type: 'blast',
        sender: { channelId },
        audience: { all: true },
        steps: [{ channel: 'voice', templateId }],
        settings,
      });
    const missing = await create({ answeringMachine: 'voicemail' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.code, 'validation_failed');
    const unknownChoice = await create({ answeringMachine: 'record' });
    assert.equal(unknownChoice.status, 400);
    assert.equal(unknownChoice.body.code, 'validation_failed');
    const broken = await create({ answeringMachine: 'voicemail', voicemailScript: 'Hi {{ lead.first_name ' });
    assert.equal(broken.status, 422);
    assert.equal(broken.body.code, 'template_invalid');
    assert.match(broken.body.message, /^settings\.voicemailScript line 1/);
    const unknownVariable = await create({ answeringMachine: 'voicemail', voicemailScript: 'Hi {{ leed.first_name }}' });
    assert.equal(unknownVariable.status, 422);
    assert.equal(unknownVariable.body.code, 'template_invalid');
    const tooLong = await create({ answeringMachine: 'voicemail', voicemailScript: 'x'.repeat(2001) });
    assert.equal(tooLong.status, 400);
    const ok = await create({ answeringMachine: 'voicemail', voicemailScript: 'Hi {{ lead.first_name }}' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.settings.answeringMachine, 'voicemail');
    assert.equal(ok.body.settings.voicemailScript, 'Hi {{ lead.first_name }}');
  });
});
