import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../api';
import type { EventName } from './types';

/** Names seen in the last 30 days (`GET /events/names`): the trigger builder's suggestions and the Events page's filter. */
export function useEventNames() {
  return useQuery<EventName[], ApiError>({
    queryKey: ['event-names'],
    queryFn: async () => (await api<{ items: EventName[] }>('GET', '/events/names')).items,
    staleTime: 30_000,
  });
}
