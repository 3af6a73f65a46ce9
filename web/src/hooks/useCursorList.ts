import { useInfiniteQuery } from '@tanstack/react-query';
import { api, withQuery } from '../api';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A cursor-paged list endpoint (`{ items, nextCursor }`) as one growing list with "load more".
 * The query key includes the filters, so changing a filter starts again from the first page.
 */
export function useCursorList<T>(
  key: readonly unknown[],
  path: string,
  params: Record<string, string | number | undefined | null> = {},
  limit = 50,
) {
  const query = useInfiniteQuery({
    queryKey: [...key, params],
    queryFn: ({ pageParam }) => api<CursorPage<T>>('GET', withQuery(path, { ...params, limit, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return { ...query, items: query.data?.pages.flatMap((p) => p.items) };
}
