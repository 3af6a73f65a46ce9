// The exported workflow makes n8n evaluate no expression: n8n 2.x runs expressions in an isolate, and with
// N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE (n8n-runtime, docker-compose.yml) an execution that evaluates none
// takes none. Lease Batch's `={{ $json.runId }}` and the trigger's webhook path (and, for a trigger of
// version 1, n8n's own binaryData option) made every execution of a campaign create and dispose one.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	nodeParametersAreStatic,
	webhookDescriptionIsNativelyResolvable,
	type INode,
	type INodeExecutionData,
	type IWorkflowBase,
} from 'n8n-workflow';
import { runIdOf } from '../../nodes/shared/run-id';
import { CadenceTrigger } from '../../nodes/CadenceTrigger/CadenceTrigger.node';

const WORKFLOWS = join(__dirname, '..', '..', '..', 'workflows');

/** Every string in a node's parameters that n8n would evaluate (it starts with "="), with its path. */
function expressionsIn(value: unknown, path: string): string[] {
	if (typeof value === 'string') return value.startsWith('=') ? [`${path}: ${value}`] : [];
	if (Array.isArray(value)) return value.flatMap((v, i) => expressionsIn(v, `${path}[${i}]`));
	if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => expressionsIn(v, `${path}.${k}`));
	return [];
}

describe('the exported workflows', () => {
	const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.json'));

	it('are there to check', () => {
		expect(files).toContain('cadence-campaign.json');
	});

	it.each(files)('%s: no node parameter is an n8n expression', (file) => {
		const wf = JSON.parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as IWorkflowBase;
		expect(wf.nodes.flatMap((n) => expressionsIn(n.parameters, n.name))).toEqual([]);
	});

	it("cadence-campaign.json: n8n resolves the trigger's webhook without its expression engine", () => {
		const wf = JSON.parse(readFileSync(join(WORKFLOWS, 'cadence-campaign.json'), 'utf8')) as IWorkflowBase;
		const trigger = wf.nodes.find((n) => n.type.endsWith('.cadenceTrigger')) as INode;
		// n8n evaluates `$parameter["options"]["binaryData"]` for any webhook trigger of version 1.
		expect(trigger.typeVersion).not.toBe(1);
		expect(new CadenceTrigger().description.version).toContain(trigger.typeVersion);
		expect(nodeParametersAreStatic(trigger)).toBe(true);
		for (const webhook of new CadenceTrigger().description.webhooks ?? [])
			expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
	});

	it('the finder sees an expression where there is one', () => {
		expect(expressionsIn({ runId: '={{ $json.runId }}', options: { a: ['=x', 'y'] } }, 'Lease')).toEqual([
			'Lease.runId: ={{ $json.runId }}',
			'Lease.options.a[0]: =x',
		]);
	});
});

describe('Lease Batch with Run ID empty', () => {
	it("reads the input item's runId", () => {
		expect(runIdOf({ json: { runId: 'run-1', leaseId: 'l' } })).toBe('run-1');
	});

	it('reads nothing from an item without one, or with one that is not a string', () => {
		const items: Array<INodeExecutionData | undefined> = [undefined, { json: {} }, { json: { runId: 42 } }];
		expect(items.map(runIdOf)).toEqual(['', '', '']);
	});
});
