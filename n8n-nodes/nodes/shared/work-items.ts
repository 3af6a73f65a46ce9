import { leaseTemplateOf, type GrantedLease } from '@cadence/contracts';
import type { WorkItem } from './types';

/**
 * A granted lease as the items between Lease Batch and Report Results: one per message, in slot order,
 * each carrying the run, lease, grant, sender and lease time. Every item of a template gets the lease's
 * one template object, not a copy: n8n keeps every item of an execution until it ends.
 */
export function workItemsOf(
	lease: GrantedLease,
	runId: string,
	leasedAt: number,
	execution?: Pick<WorkItem, 'executionLeased' | 'executionHeldBytes'>,
): WorkItem[] {
	return lease.items.map((item, slot) => ({
		runId,
		leaseId: lease.leaseId,
		leaseExpiresAt: lease.leaseExpiresAt,
		leasedAt,
		slot,
		...execution,
		grant: lease.grant,
		sender: lease.sender,
		message: Object.assign(item, { template: leaseTemplateOf(lease, item) }),
	}));
}
