import type { INodeExecutionData } from 'n8n-workflow';

/**
 * The input item's own runId, for the operations whose Run ID is left empty (Lease Batch, Get Run). The
 * exported workflow leaves it empty rather than `={{ $json.runId }}`: n8n 2.x evaluates any expression in an
 * isolate (N8N_EXPRESSION_ENGINE=vm), and with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE an execution that evaluates
 * none never takes one. That one expression made every execution create and dispose an isolate (with the
 * trigger's, see CadenceTrigger.node.ts): n8n's CPU a Mailgun recipient fell from 0.20 to 0.13 ms at 300,000
 * recipients and from 0.21 to 0.11 ms at 1,000,000 once none was taken (docs/architecture.md, "n8n's memory").
 */
export function runIdOf(item: INodeExecutionData | undefined): string {
	const runId = item?.json.runId;
	return typeof runId === 'string' ? runId : '';
}
