import { parseContract, TriggerPayloadSchema } from '@cadence/contracts';
import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { Environment } from '../../config/environment';
import { RuntimeSecrets } from '../../config/runtime-secrets';

export const TRIGGER_WEBHOOK_PATH = 'webhook/cadence-campaign';

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the Campaign Trigger node checks it and the timestamp. */
export function signTrigger(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

@Injectable()
export class N8nTriggerClient {
  constructor(
    private readonly env: Environment,
    private readonly secrets: RuntimeSecrets,
  ) {}

  /** Posts a `campaign.run` outbox event to n8n; a payload that breaks the contract is a bug here, not n8n's to find. */
  async trigger(payload: Record<string, unknown>): Promise<void> {
    const parsed = parseContract(TriggerPayloadSchema, { ...payload, triggeredAt: new Date().toISOString() });
    if (!parsed.ok) throw new Error(`campaign.run payload breaks the contract: ${parsed.message}`);
    const body = JSON.stringify(parsed.data);
    const timestamp = Math.floor(Date.now() / 1000);
    const url = new URL(TRIGGER_WEBHOOK_PATH, (this.env.N8N_WEBHOOK_URL ?? this.env.N8N_URL).replace(/\/?$/, '/'));
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-cadence-timestamp': String(timestamp),
        'x-cadence-signature': signTrigger(this.secrets.triggerSigningSecret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`n8n answered ${res.status} to the campaign trigger: ${(await res.text()).slice(0, 200)}`);
  }
}
