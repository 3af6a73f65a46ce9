import { ObjectLiteral, Repository } from 'typeorm';
import { returning } from './returning';

/**
 * Deletes one row of an organization and says whether it existed. `DeleteResult.affected` is not
 * reported by every driver (the embedded PGlite driver leaves it undefined, so deletes that worked
 * answered 404); RETURNING reports the deleted row on both databases.
 */
export async function deleteOwned<T extends ObjectLiteral>(repo: Repository<T>, organizationId: string, id: string): Promise<boolean> {
  const table = repo.metadata.tablePath;
  const rows = await returning<{ id: string }>(repo.manager, `DELETE FROM ${table} WHERE organization_id = $1 AND id = $2 RETURNING id`, [
    organizationId,
    id,
  ]);
  return rows.length > 0;
}
