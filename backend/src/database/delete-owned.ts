import { ObjectLiteral, QueryFailedError, Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { returning } from './returning';

/** PostgreSQL's foreign_key_violation: here, a row still referenced under ON DELETE RESTRICT. */
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Deletes one row of an organization and says whether it existed. `DeleteResult.affected` is not
 * reported by every driver (the embedded PGlite driver leaves it undefined, so deletes that worked
 * answered 404); RETURNING reports the deleted row on both databases. A row that others still refer to
 * (a channel or template a campaign uses) answers 409 `resource_in_use`: it used to surface as a 500, or as
 * a 503 "database unavailable" when the table name contained "connect".
 */
export async function deleteOwned<T extends ObjectLiteral>(repo: Repository<T>, organizationId: string, id: string): Promise<boolean> {
  const table = repo.metadata.tablePath;
  try {
    const rows = await returning<{ id: string }>(repo.manager, `DELETE FROM ${table} WHERE organization_id = $1 AND id = $2 RETURNING id`, [
      organizationId,
      id,
    ]);
    return rows.length > 0;
  } catch (error) {
    const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; detail?: string }) : undefined;
    if (driverError?.code !== FOREIGN_KEY_VIOLATION) throw error;
    const by = /from table "([^"]+)"/.exec(driverError.detail ?? '')?.[1];
    throw new AppError('resource_in_use', `${id} is still in use${by ? ` by ${by.replace(/_/g, ' ')}` : ''}; delete or change those first`);
  }
}
