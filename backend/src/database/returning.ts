import { EntityManager } from 'typeorm';

/**
 * Runs a statement with RETURNING and answers its rows. TypeORM's postgres runner answers
 * `[rows, rowCount]` for UPDATE and DELETE but plain rows for everything else; this hides the difference.
 */
export async function returning<T>(m: Pick<EntityManager, 'query'>, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await m.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
