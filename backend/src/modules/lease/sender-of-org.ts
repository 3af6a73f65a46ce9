import type { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { ChannelConnection } from '../channels/channel-connection.entity';
import { EmailAccount } from '../email-accounts/email-account.entity';
import type { SenderId } from './sender-id';

/** The columns of a per-sender row (warm-up, guard) that name this sender. */
export function senderWhere(sender: SenderId): { channelId: string } | { emailAccountId: string } {
  return 'channelId' in sender ? { channelId: sender.channelId } : { emailAccountId: sender.emailAccountId };
}

/** Refuses a sender that is not the organization's: `channel_not_found` for a channel, `not_found` for a mailbox. */
export async function assertSenderOfOrg(dataSource: DataSource, organizationId: string, sender: SenderId): Promise<void> {
  const found =
    'channelId' in sender
      ? await dataSource.getRepository(ChannelConnection).existsBy({ id: sender.channelId, organizationId })
      : await dataSource.getRepository(EmailAccount).existsBy({ id: sender.emailAccountId, organizationId });
  if (!found) throw new AppError('channelId' in sender ? 'channel_not_found' : 'not_found', 'No such sender');
}
