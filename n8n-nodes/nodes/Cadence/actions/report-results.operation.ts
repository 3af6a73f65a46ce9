import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';
import { backendFor } from '../../shared/n8n-context';
import type { ReportResult, WorkItem } from '../../shared/types';

export const description: INodeProperties[] = [
	{
		displayName: 'Max Attempts',
		name: 'attempts',
		type: 'number',
		default: 6,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { operation: ['reportResults'] } },
		description: 'Network errors, 429 and 5xx are retried with backoff (safe: the report is idempotent by key)',
	},
];

export function toReport(item: WorkItem): ReportResult | undefined {
	const r = item.result;
	const messageId = item.message?.messageId;
	if (!r || !messageId || r.outcome === 'rejected') return undefined;
	switch (r.outcome) {
		case 'sent':
			return { messageId, outcome: 'sent', providerMessageId: r.providerMessageId, sentAt: r.sentAt };
		case 'failed':
			return { messageId, outcome: 'failed', errorCode: r.errorCode, errorMessage: r.errorMessage };
		case 'deferred':
			return {
				messageId,
				outcome: 'deferred',
				retryAfterMs: r.retryAfterMs,
				errorCode: r.errorCode,
				...(r.errorMessage ? { errorMessage: r.errorMessage } : {}),
			};
		case 'unknown':
			return { messageId, outcome: 'unknown', errorCode: r.errorCode, errorMessage: r.errorMessage };
		case 'skipped':
			return { messageId, outcome: 'skipped', reason: r.reason, ...(r.errorMessage ? { errorMessage: r.errorMessage } : {}) };
	}
}

/** One idempotent POST per lease in the input; one output item per lease (feeds the next lease). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const attempts = this.getNodeParameter('attempts', 0, 6) as number;
	const groups = new Map<
		string,
		{
			runId: string;
			leaseId: string;
			results: ReportResult[];
			paired: IPairedItemData[];
			counts: Record<string, number>;
			executionLeased: number;
			executionHeldBytes: number;
		}
	>();
	items.forEach((item, i) => {
		const w = item.json as unknown as WorkItem;
		if (!w.runId || !w.leaseId) throw new Error(`item ${i} carries no runId / leaseId (connect Report Results after Send Message)`);
		const key = `${w.runId}\u0000${w.leaseId}`;
		const g = groups.get(key) ?? {
			runId: w.runId,
			leaseId: w.leaseId,
			results: [],
			paired: [],
			counts: {},
			executionLeased: 0,
			executionHeldBytes: 0,
		};
		groups.set(key, g);
		g.executionLeased = Math.max(g.executionLeased, Number(w.executionLeased ?? 0) || 0);
		g.executionHeldBytes = Math.max(g.executionHeldBytes, Number(w.executionHeldBytes ?? 0) || 0);
		g.paired.push({ item: i });
		const outcome = w.result?.outcome ?? 'unreported';
		g.counts[outcome] = (g.counts[outcome] ?? 0) + 1;
		const r = toReport(w);
		if (r) g.results.push(r);
	});
	const backend = await backendFor(this);
	const out: INodeExecutionData[] = [];
	for (const g of groups.values()) {
		let answer: IDataObject = { applied: 0, ignored: 0 };
		if (g.results.length > 0) answer = await backend.reportResults(g.runId, g.leaseId, g.results, attempts);
		out.push({
			json: {
				runId: g.runId,
				leaseId: g.leaseId,
				reported: g.results.length,
				counts: g.counts,
				// Lease Batch's counts for Max Messages and Max Held Data per Execution.
				executionLeased: g.executionLeased,
				executionHeldBytes: g.executionHeldBytes,
				...answer,
			},
			pairedItem: g.paired,
		});
	}
	return out;
}
