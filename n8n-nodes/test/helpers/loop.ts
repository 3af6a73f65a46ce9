import type { GrantedLease } from '@cadence/contracts';
import { BackendClient } from '../../nodes/shared/backend-client';
import { fetchHttp } from '../../nodes/shared/http';
import { renderWorkItem } from '../../nodes/shared/render-item';
import type { Outcome, WorkItem } from '../../nodes/shared/types';
import { workItemsOf } from '../../nodes/shared/work-items';
import { toReport } from '../../nodes/Cadence/actions/report-results.operation';
import { sendWorkItems, type SendOptions } from '../../nodes/CadenceSend/engine';
import type { StubBackend } from './stub-backend';

export function clientFor(stub: StubBackend): BackendClient {
	return new BackendClient({ baseUrl: stub.url, apiKey: stub.apiKey }, fetchHttp);
}

/** One pass of the workflow without n8n: lease -> render -> send -> report. */
export async function onePass(
	stub: StubBackend,
	runId: string,
	options: Partial<SendOptions> = {},
	leaseMax = 500,
): Promise<{ done: boolean; outcomes: Map<string, Outcome> }> {
	const backend = clientFor(stub);
	const lease = await backend.lease(runId, leaseMax);
	const leasedAt = Date.now();
	if (lease.done || lease.items.length === 0) return { done: lease.done, outcomes: new Map() };
	const items: WorkItem[] = workItemsOf(lease as GrantedLease, runId, leasedAt).map((w) => {
		const r = renderWorkItem(w);
		return 'rendered' in r ? { ...w, rendered: r.rendered } : { ...w, result: r.result };
	});
	const outcomes = await sendWorkItems(items, { backend, http: fetchHttp }, options);
	const results = items.map((w) => toReport({ ...w, result: outcomes.get(w.message.messageId)! })).filter((r) => r !== undefined);
	if (results.length) await backend.reportResults(runId, lease.leaseId!, results);
	return { done: false, outcomes };
}

/** The whole loop until the lease says done (bounded). */
export async function runLoop(
	stub: StubBackend,
	runId: string,
	options: Partial<SendOptions> = {},
	maxPasses = 20,
): Promise<Map<string, Outcome>> {
	const all = new Map<string, Outcome>();
	for (let i = 0; i < maxPasses; i++) {
		const backend = clientFor(stub);
		const { done, outcomes } = await onePass(stub, runId, options);
		for (const [k, v] of outcomes) all.set(k, v);
		if (done) return all;
		if (outcomes.size === 0) {
			const run = await backend.getRun(runId);
			const counts = run.counts as Record<string, number>;
			if (!counts.queued) return all;
			await new Promise((r) => setTimeout(r, 200));
		}
	}
	return all;
}
