import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../../config/environment';
import type { CampaignSettings, CampaignType } from '../campaigns/campaign.entity';
import { agentOutcomeUrl, messageLinks } from '../tracking/message-links';
import { publicUrl } from '../tracking/public-url';
import { TrackingTokens } from '../tracking/tracking-tokens';
import { ProviderWebhooksService } from '../webhooks/provider-webhooks.service';
import { verifyTwilio } from '../webhooks/webhook-signatures';
import type { VoiceTemplateSpec } from '@cadence/contracts';
import { answerTwiml, HANG_UP_TWIML } from './call-twiml';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CallRow {
  id: string;
  lead_id: string | null;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  timezone: string | null;
  attributes: Record<string, unknown> | null;
  campaign_id: string;
  campaign_name: string;
  campaign_type: CampaignType;
  settings: CampaignSettings;
  voice: VoiceTemplateSpec | null;
}

/** The voice message being answered, in the organization of the channel whose signature verified. */
const CALL_SQL = `
  SELECT m.id, l.id AS lead_id, l.email, l.phone, l.first_name, l.last_name, l.timezone, l.attributes,
         c.id AS campaign_id, c.name AS campaign_name, c.type AS campaign_type, c.settings, t.voice
    FROM messages m
    JOIN campaigns c ON c.id = m.campaign_id
    JOIN campaign_steps s ON s.id = m.step_id
    JOIN templates t ON t.id = s.template_id
    LEFT JOIN leads l ON l.id = m.lead_id
   WHERE m.id = $1 AND m.organization_id = $2 AND m.channel = 'voice'`;

/** What a call placed with answering-machine detection plays, asked by Twilio once it knows who answered. */
@Injectable()
export class CallTwimlService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: ProviderWebhooksService,
    private readonly tokens: TrackingTokens,
    private readonly env: Environment,
  ) {}

  async forAnswer(
    channelId: string,
    url: string,
    params: Record<string, string>,
    signature: string | undefined,
    messageId: string | undefined,
  ): Promise<string> {
    const channel = await this.webhooks.verified(
      channelId,
      'twilio',
      (secrets) => verifyTwilio(secrets.authToken, url, params, signature),
      'The X-Twilio-Signature does not verify',
    );
    if (!messageId || !UUID.test(messageId)) return HANG_UP_TWIML;
    const [row] = await this.dataSource.query<CallRow[]>(CALL_SQL, [messageId, channel.organizationId]);
    if (!row) return HANG_UP_TWIML;
    const base = publicUrl(this.env);
    return answerTwiml(
      {
        messageId: row.id,
        lead: row.lead_id
          ? {
              id: row.lead_id,
              email: row.email,
              phone: row.phone,
              firstName: row.first_name,
              lastName: row.last_name,
              timezone: row.timezone,
              attributes: row.attributes ?? {},
            }
          : null,
        campaign: { id: row.campaign_id, name: row.campaign_name, type: row.campaign_type, settings: row.settings ?? {} },
        voice: row.voice,
        senderConfig: channel.config ?? {},
        unsubscribeUrl: messageLinks(base, this.tokens, row.id).unsubscribeUrl,
        ...(row.voice?.mode === 'agent' && { agentOutcomeUrl: agentOutcomeUrl(base, this.tokens, row.id) }),
      },
      params.AnsweredBy,
    );
  }
}
