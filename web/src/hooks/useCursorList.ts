import { useInfiniteQuery } from '@tanstack/react-query';
import { api, withQuery } from '../api';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A cursor-paged list endpoint (`{ items, nextCursor }`) as one growing list with "load more".
 * The query key includes the filters, so changing a filter starts again from the first page.
 * `refreshMs` keeps it live: every page loaded is re-read that often (each from the cursor of the fresh page
 * before it, so nothing is repeated or lost when new items arrive at the top), never while the tab is hidden.
 */
export function useCursorList<T>(
  key: readonly unknown[],
  path: string,
  params: Record<string, string | number | undefined | null> = {},
  limit = 50,
  refreshMs: number | false = false,
) {
  const query = useInfiniteQuery({
    queryKey: [...key, params],
    queryFn: ({ pageParam }) => api<CursorPage<T>>('GET', withQuery(path, { ...params, limit, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: refreshMs,
    refetchIntervalInBackground: false,
  });
  return { ...query, items: query.data?.pages.flatMap((p) => p.items) };
}
