import { type ClickTarget, clickSignatureMatches } from '@cadence/render';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { machineClick, machineOpen, MachineReason } from './machine-traffic';
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
  sentAt: Date | null;
}

/** What a tracking request shows about who made it. */
export interface RequestInfo {
  method: string;
  userAgent: string | undefined;
}

/** The payload of a tracked open or click: what the request showed, and the machine rule's verdict. */
function visitPayload(visit: RequestInfo, secondsSinceSent: number | null, machine: MachineReason | undefined) {
  return {
    userAgent: visit.userAgent?.slice(0, 500) ?? null,
    method: visit.method,
    secondsSinceSent,
    machine: machine !== undefined,
    ...(machine && { machineReason: machine }),
  };
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
    const [row]: Array<{ organization_id: string; campaign_id: string; channel: string; to_address: string | null; sent_at: Date | null }> =
      await this.dataSource.query('SELECT organization_id, campaign_id, channel, to_address, sent_at FROM messages WHERE id = $1', [
        messageId,
      ]);
    return row?.to_address
      ? {
          messageId,
          organizationId: row.organization_id,
          campaignId: row.campaign_id,
          channel: row.channel,
          address: row.to_address,
          sentAt: row.sent_at ? new Date(row.sent_at) : null,
        }
      : undefined;
  }

  /**
   * The first open of a message by a person, and the first by a machine (machine-traffic.ts), are recorded;
   * mail clients re-fetch images at will. A proxy's prefetch therefore does not hide the person's open after it.
   */
  async opened(token: string, visit: RequestInfo): Promise<void> {
    const target = await this.describe(token, 'open');
    if (!target) return;
    const now = new Date();
    const secondsSinceSent = secondsSince(target.sentAt, now);
    const machine = machineOpen({ ...visit, secondsSinceSent });
    await this.events.record({
      organizationId: target.organizationId,
      messageId: target.messageId,
      source: 'tracking',
      eventId: machine ? `open-machine:${target.messageId}` : `open:${target.messageId}`,
      type: 'opened',
      occurredAt: now,
      payload: visitPayload(visit, secondsSinceSent, machine),
    });
  }

  /**
   * A click on a tracked link: 'unknown_token' for a token no message has, 'unsigned' when the target is
   * not one the campaign's emails contain (missing or altered `s=`), else the click is recorded.
   */
  async clicked(token: string, click: ClickTarget, visit: RequestInfo): Promise<'recorded' | 'unknown_token' | 'unsigned'> {
    const target = await this.describe(token, 'click');
    if (!target) return 'unknown_token';
    if (!this.tokens.clickKeys(target.campaignId).some((key) => clickSignatureMatches(key, click))) return 'unsigned';
    const { url, linkIndex } = click;
    const now = new Date();
    const secondsSinceSent = secondsSince(target.sentAt, now);
    const machine = machineClick({ ...visit, secondsSinceSent }, await this.secondsSinceOtherLinkClicked(target.messageId, linkIndex, now));
    await this.events.record({
      organizationId: target.organizationId,
      messageId: target.messageId,
      source: 'tracking',
      // Per link, a person's first click and a machine's first click: a scanner's visit does not hide the person's.
      eventId: machine ? `click-machine:${target.messageId}:${linkIndex}` : `click:${target.messageId}:${linkIndex}`,
      type: 'clicked',
      occurredAt: now,
      payload: { url, linkIndex, ...visitPayload(visit, secondsSinceSent, machine) },
    });
    return 'recorded';
  }

  /** Seconds since this message's latest tracked click on another link (a scanner follows them all at once). */
  private async secondsSinceOtherLinkClicked(messageId: string, linkIndex: number, now: Date): Promise<number | null> {
    const [row]: Array<{ at: Date | null }> = await this.dataSource.query(
      `SELECT max(occurred_at) AS at FROM message_events
        WHERE message_id = $1 AND type = 'clicked' AND source = 'tracking' AND (payload->>'linkIndex')::int IS DISTINCT FROM $2`,
      [messageId, linkIndex],
    );
    return row?.at ? Math.abs(now.getTime() - new Date(row.at).getTime()) / 1000 : null;
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

function secondsSince(at: Date | null, now: Date): number | null {
  return at ? Math.max(0, (now.getTime() - at.getTime()) / 1000) : null;
}
