import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../../common/errors/app-error';
import { MessageEvent } from '../../messages/message-event.entity';
import { Message } from '../../messages/message.entity';

/** Events per message shown at most: a message gets a handful (sent, delivered, opened, clicks). */
export const MAX_MESSAGE_EVENTS = 200;
const MAX_SUMMARY_KEYS = 12;
const MAX_SUMMARY_TEXT = 200;

export interface PresentedEvent {
  id: string;
  source: string;
  type: string;
  occurredAt: Date;
  /** The payload's scalar fields, texts cut at 200 characters: enough to read, never a whole provider body. */
  summary: Record<string, string | number | boolean | null>;
}

function summarize(payload: Record<string, unknown>): PresentedEvent['summary'] {
  const out: PresentedEvent['summary'] = {};
  for (const [key, value] of Object.entries(payload ?? {})) {
    if (Object.keys(out).length >= MAX_SUMMARY_KEYS) break;
    if (value === null || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (typeof value === 'string') out[key] = value.length > MAX_SUMMARY_TEXT ? `${value.slice(0, MAX_SUMMARY_TEXT)}…` : value;
  }
  return out;
}

/** One message of a campaign with what providers and tracking reported about it, oldest first. */
@Injectable()
export class MessageEventsService {
  constructor(private readonly dataSource: DataSource) {}

  async ofMessage(organizationId: string, campaignId: string, messageId: string): Promise<{ message: Message; events: PresentedEvent[] }> {
    const message = await this.dataSource.getRepository(Message).findOneBy({ organizationId, campaignId, id: messageId });
    if (!message) throw new AppError('message_not_found', `No message ${messageId} in campaign ${campaignId}`);
    const events = await this.dataSource.getRepository(MessageEvent).find({
      where: { organizationId, messageId },
      order: { occurredAt: 'ASC' },
      take: MAX_MESSAGE_EVENTS,
    });
    return {
      message,
      events: events.map((e) => ({ id: e.id, source: e.source, type: e.type, occurredAt: e.occurredAt, summary: summarize(e.payload) })),
    };
  }
}
