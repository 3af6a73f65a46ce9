import { leaseTemplateOf, type LeaseItem } from '@cadence/contracts';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { RuntimeSecrets } from '../config/runtime-secrets';
import { SchedulerService } from '../modules/scheduling/scheduler.service';
import { TestApp } from './test-app';

/** Receives the backend's signed campaign triggers the way n8n's webhook would, and checks the signature. */
export class TriggerReceiver {
  readonly triggers: Array<Record<string, any>> = [];
  private server?: Server;
  url = '';

  constructor(private readonly secret: () => string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const ts = String(req.headers['x-cadence-timestamp']);
        const expected = Buffer.from(`v1=${createHmac('sha256', this.secret()).update(`${ts}.${body}`).digest('hex')}`);
        const given = Buffer.from(String(req.headers['x-cadence-signature'] ?? ''));
        if (req.url !== '/webhook/cadence-campaign' || expected.length !== given.length || !timingSafeEqual(expected, given)) {
          res.writeHead(401).end();
          return;
        }
        this.triggers.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"Workflow was started"}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export type Outcome = { outcome: 'sent' | 'failed' | 'deferred' | 'unknown' | 'skipped'; [k: string]: unknown };

/** Plays the n8n side of docs/internal-api.md over HTTP: lease, mark sending, report, until the lease says done. */
export class FakeSender {
  constructor(
    private readonly t: TestApp,
    private readonly decide: (item: Record<string, any>) => Outcome = () => ({ outcome: 'sent' }),
  ) {}

  private get token(): string {
    return this.t.app.get(RuntimeSecrets).internalApiToken;
  }

  call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.t.request(method, `/internal/v1${path}`, { body, headers: { authorization: `Bearer ${this.token}`, ...headers } });
  }

  /** One lease → sending → results cycle; answers the lease. */
  async cycle(runId: string, max?: number) {
    const lease = await this.call('POST', `/runs/${runId}/lease`, max ? { max } : {});
    if (lease.status !== 200) throw new Error(`lease answered ${lease.status}: ${JSON.stringify(lease.body)}`);
    const items: Array<Record<string, any>> = lease.body.items;
    if (items.length) {
      const sending = await this.call('POST', `/runs/${runId}/sending`, {
        leaseId: lease.body.leaseId,
        messageIds: items.map((i) => i.messageId),
      });
      const accepted = new Set<string>(sending.body.accepted);
      const results = items
        .filter((i) => accepted.has(i.messageId))
        .map((i) => {
          // As the Lease Batch node does: each item with its template from the lease's `templates`.
          const decision = this.decide({ ...i, template: leaseTemplateOf(lease.body, i as LeaseItem) });
          return {
            messageId: i.messageId,
            ...(decision.outcome === 'sent' && { providerMessageId: `SM${i.messageId.replace(/-/g, '')}` }),
            ...decision,
          };
        });
      const report = await this.call('POST', `/runs/${runId}/results`, { leaseId: lease.body.leaseId, results });
      if (report.status !== 200) throw new Error(`results answered ${report.status}: ${JSON.stringify(report.body)}`);
    }
    return lease.body;
  }

  /** Leases until done, honouring retryAfterMs; answers how many messages were handed over. */
  async drain(runId: string, maxCycles = 500): Promise<number> {
    let handed = 0;
    for (let i = 0; i < maxCycles; i++) {
      const lease = await this.cycle(runId);
      handed += lease.items.length;
      if (lease.done) return handed;
      if (!lease.items.length) await new Promise((r) => setTimeout(r, Math.min(lease.retryAfterMs, 2000)));
    }
    throw new Error('the run never finished');
  }
}

/** One scheduler pass. */
export async function tick(t: TestApp): Promise<void> {
  await t.app.get(SchedulerService).tick();
  // Handlers (materialization, triggers) run after the claim; give them their turn.
  await new Promise((r) => setTimeout(r, 50));
}

/** Ticks the scheduler until `check` holds. */
export async function tickUntil(t: TestApp, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await tick(t);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not reached in time');
}

/** The campaign's unfinished run, once the scheduler started one (ticking it until then). */
export async function liveRun(t: TestApp, campaignId: string): Promise<string> {
  let id: string | undefined;
  await tickUntil(t, async () => {
    [{ id } = { id: undefined }] = await t.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM campaign_runs WHERE campaign_id = $1 AND finished_at IS NULL ORDER BY created_at DESC LIMIT 1',
      [campaignId],
    );
    return id !== undefined;
  });
  return id!;
}

/** Creates a campaign with the API key, launches it and waits until it is materialized; answers its id. */
export async function launchCampaign(t: TestApp, key: string, body: Record<string, unknown>): Promise<string> {
  const created = await t.request('POST', '/api/v1/campaigns', { key, body });
  if (created.status !== 201) throw new Error(`campaign refused: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const launched = await t.request('POST', `/api/v1/campaigns/${id}/launch`, { key });
  if (launched.status !== 202) throw new Error(`launch refused: ${launched.status} ${JSON.stringify(launched.body)}`);
  await tickUntil(t, async () => (await t.request('GET', `/api/v1/campaigns/${id}`, { key })).body.materialized);
  return id;
}

/** Posts a Twilio webhook to the backend signed as Twilio signs it (HMAC-SHA1 of the public URL and sorted params). */
export async function postTwilioSigned(
  t: TestApp,
  publicUrl: string,
  authToken: string,
  path: string,
  params: Record<string, string>,
): Promise<{ status: number; type: string; body: string }> {
  let data = `${publicUrl}${path}`;
  for (const k of Object.keys(params).sort()) data += k + params[k];
  const res = await fetch(`${t.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': createHmac('sha1', authToken).update(data).digest('base64'),
    },
    body: new URLSearchParams(params),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

/**
 * An organization's Twilio SMS channel (authenticated by `authToken`) and an SMS template, and blasts through
 * them: each blast creates its leads with SMS consent and numbers of their own, then launches.
 */
export async function smsKit(t: TestApp, key: string, authToken = 'tok') {
  const post = async (path: string, body: unknown) => {
    const res = await t.request('POST', `/api/v1${path}`, { key, body });
    if (res.status !== 201 && res.status !== 200) throw new Error(`${path} refused: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const channel = await post('/channels', {
    type: 'twilio',
    name: 'Texts',
    config: { accountSid: `AC${'9'.repeat(32)}`, from: '+14155550144', ratePerSecond: 1000 },
    secrets: { authToken },
  });
  const template = await post('/templates', { name: 'Hi', channel: 'sms', body: 'Hi there' });
  let block = 200;
  return {
    channelId: channel.id as string,
    templateId: template.id as string,
    /** `leads`: a count, or each lead's own fields (a time zone, say). */
    async blast(leads: number | Array<Record<string, unknown>>, settings: Record<string, unknown> = {}): Promise<string> {
      const b = block++;
      const fields = typeof leads === 'number' ? Array.from({ length: leads }, () => ({})) : leads;
      const created = await post(
        '/leads',
        fields.map((f, i) => ({ phone: `+1628${b}${String(i).padStart(4, '0')}`, consent: { sms: true }, ...f })),
      );
      if (created.failed) throw new Error(`leads refused: ${JSON.stringify(created.errors)}`);
      return launchCampaign(t, key, {
        name: 'Texts',
        type: 'blast',
        sender: { channelId: channel.id },
        audience: { leadIds: created.ids },
        steps: [{ channel: 'sms', templateId: template.id }],
        settings: { shards: 1, ...settings },
      });
    },
  };
}

/**
 * Moves the lease expiry of the messages `where` selects (its parameters from $2) `ago` into the past, as time
 * would: each message's own and its lease's row, where the sweeps look for expired leases (message_leases).
 */
export async function backdateLeases(t: TestApp, ago: string, where: string, params: unknown[]): Promise<void> {
  await t.dataSource.query(
    `WITH moved AS (
       UPDATE messages SET lease_expires_at = clock_timestamp() - $1::interval WHERE ${where} RETURNING lease_id, lease_expires_at
     )
     UPDATE message_leases l SET expires_at = least(l.expires_at, x.at)
       FROM (SELECT lease_id, min(lease_expires_at) AS at FROM moved GROUP BY lease_id) x
      WHERE l.id = x.lease_id`,
    [ago, ...params],
  );
}
