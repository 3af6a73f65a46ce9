import type { DataSource, EntityManager } from 'typeorm';
import { senderColumn, type SenderId } from '../lease/sender-id';

/**
 * Runs that ended to wait for a sender (its daily cap, a paused sender) would sleep until their retry time:
 * after a change that lets the sender send again, the scheduler starts them on its next tick.
 */
export async function wakeRunsOfSender(m: DataSource | EntityManager, organizationId: string, sender: SenderId): Promise<void> {
  const { column, id } = senderColumn(sender);
  await m.query(
    `UPDATE campaign_runs r SET retry_at = clock_timestamp()
      WHERE r.organization_id = $1 AND r.retry_at > clock_timestamp()
        AND r.campaign_id IN (SELECT c.id FROM campaigns c
                               WHERE c.organization_id = $1
                                 AND (c.${column} = $2
                                      OR EXISTS (SELECT 1 FROM campaign_steps s WHERE s.campaign_id = c.id AND s.${column} = $2)))`,
    [organizationId, id],
  );
}
