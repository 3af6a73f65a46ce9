import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Cursor, decodeCursor, encodeCursor, Page } from './cursor';

/** Applies keyset pagination on `<alias>.created_at, <alias>.id` to an organization-scoped query. */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  cursor: string | undefined,
  limit: number,
): Promise<Page<T>> {
  if (cursor) {
    const c: Cursor = decodeCursor(cursor);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) > (:cursorTs::timestamptz, :cursorId::uuid)`, {
      cursorTs: c.createdAt,
      cursorId: c.id,
    });
  }
  qb.addSelect(`${alias}.created_at::text`, 'cursor_ts')
    .orderBy(`${alias}.created_at`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .limit(limit + 1);
  const { entities, raw } = await qb.getRawAndEntities<{ cursor_ts: string }>();
  const items = entities.slice(0, limit);
  const last = items.length === limit && entities.length > limit ? items[limit - 1] : undefined;
  const lastRaw = last ? raw[limit - 1] : undefined;
  return { items, nextCursor: last && lastRaw ? encodeCursor({ createdAt: lastRaw.cursor_ts, id: last.id }) : null };
}
