import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../api';
import type { EventName } from './types';

/**
 * Names seen in the last 30 days (`GET /events/names`): the trigger builder's suggestions and the Events
 * page's filter, which re-reads them with its live list (`refreshMs`) so a new name can be chosen at once.
 */
export function useEventNames(refreshMs: number | false = false) {
  return useQuery<EventName[], ApiError>({
    queryKey: ['event-names'],
    queryFn: async () => (await api<{ items: EventName[] }>('GET', '/events/names')).items,
    staleTime: refreshMs === false ? 30_000 : 0,
    refetchInterval: refreshMs,
    refetchIntervalInBackground: false,
  });
}
