import { useQuery } from '@tanstack/react-query';
import { api } from '../api';

const POLL_MS = 30_000;

/** The number of conversations with unread replies, next to "Inbox" in the navigation. */
export function InboxUnreadBadge() {
  const summary = useQuery({
    queryKey: ['inbox-summary'],
    queryFn: () => api<{ unread: number }>('GET', '/conversations/summary'),
    refetchInterval: POLL_MS,
  });
  const unread = summary.data?.unread ?? 0;
  if (unread === 0) return null;
  return (
    <span className="nav-badge" data-testid="inbox-unread" aria-label={`${unread} unread`}>
      {unread}
    </span>
  );
}
