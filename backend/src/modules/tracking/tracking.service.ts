import { type ClickTarget, clickSignatureMatches } from '@cadence/render';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TokenPurpose, TrackingTokens } from './tracking-tokens';
import { SuppressionChannel } from '../suppressions/suppression.entity';
import { SuppressionsService } from '../suppressions/suppressions.service';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';

interface Target {
  messageId: string;
  organizationId: string;
  campaignId: string;
  channel: string;
  address: string;
}

@Injectable()
export class TrackingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TrackingTokens,
    private readonly events: MessageEventRecorder,
    private readonly suppressions: SuppressionsService,
  ) {}

  /** The message a link names; undefined for a token that is not valid on this link's route. */
  async describe(token: string, purpose: TokenPurpose): Promise<Target | undefined> {
    const messageId = this.tokens.verify(token, purpose);
    if (!messageId) return undefined;
    const [row]: Array<{ organization_id: string; campaign_id: string; channel: string; to_address: string | null }> =
      await this.dataSource.query('SELECT organization_id, campaign_id, channel, to_address FROM messages WHERE id = $1', [messageId]);
    return row?.to_address
      ? { messageId, organizationId: row.organization_id, campaignId: row.campaign_id, channel: row.channel, address: row.to_address }
      : undefined;
  }

  /** The first open of a message counts; mail clients re-fetch images at will. */
  async opened(token: string): Promise<void> {
    const target = await this.describe(token, 'open');
    if (target)
      await this.events.record({
        organizationId: target.organizationId,
        messageId: target.messageId,
        source: 'tracking',
        eventId: `open:${target.messageId}`,
        type: 'opened',
        occurredAt: new Date(),
        payload: {},
      });
  }

  /**
   * A click on a tracked link: 'unknown_token' for a token no message has, 'unsigned' when the target is
   * not one the campaign's emails contain (missing or altered `s=`), else the click is recorded.
   */
  async clicked(token: string, click: ClickTarget): Promise<'recorded' | 'unknown_token' | 'unsigned'> {
    const target = await this.describe(token, 'click');
    if (!target) return 'unknown_token';
    if (!this.tokens.clickKeys(target.campaignId).some((key) => clickSignatureMatches(key, click))) return 'unsigned';
    const { url, linkIndex } = click;
    await this.events.record({
      organizationId: target.organizationId,
      messageId: target.messageId,
      source: 'tracking',
      eventId: `click:${target.messageId}:${linkIndex}`,
      type: 'clicked',
      occurredAt: new Date(),
      payload: { url, linkIndex },
    });
    return 'recorded';
  }

  /** Suppresses the address for every campaign of the organization, checked at each later lease. */
  async unsubscribe(token: string): Promise<Target | undefined> {
    const target = await this.describe(token, 'unsubscribe');
    if (!target) return undefined;
    // Applied on every click, not only the first: a person re-added by hand who unsubscribes again is suppressed again.
    const channel = target.channel as SuppressionChannel;
    await this.suppressions.addMany(target.organizationId, [
      { channel, address: target.address, reason: 'unsubscribed', source: 'unsubscribe_link' },
    ]);
    await this.events.record({
      organizationId: target.organizationId,
      messageId: target.messageId,
      source: 'tracking',
      eventId: `unsubscribe:${target.messageId}`,
      type: 'unsubscribed',
      occurredAt: new Date(),
      payload: {},
    });
    return target;
  }
}
