import { useQuery } from '@tanstack/react-query';
import { api, Channel, EmailAccount } from '../../../api';
import type { Sender } from '../types';

/**
 * Names for senders (a channel's name, a mailbox's address), from the organization's channels and mailboxes.
 * One page of each (500): an organization has a handful.
 */
export function useSenderNames() {
  const channels = useQuery({
    queryKey: ['channels', 'names'],
    queryFn: () => api<{ items: Channel[] }>('GET', '/channels?limit=500'),
    staleTime: 60_000,
  });
  const mailboxes = useQuery({
    queryKey: ['email-accounts'],
    queryFn: () => api<{ items: EmailAccount[] }>('GET', '/email-accounts'),
    staleTime: 60_000,
  });
  return (sender: Sender | undefined): string => {
    if (!sender) return '—';
    if ('channelId' in sender) return channels.data?.items.find((c) => c.id === sender.channelId)?.name ?? 'Channel';
    return mailboxes.data?.items.find((m) => m.id === sender.emailAccountId)?.email ?? 'Mailbox';
  };
}
