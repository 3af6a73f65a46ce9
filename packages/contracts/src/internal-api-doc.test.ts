import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import * as contracts from './index';
import { parseContract, type ContractSchema } from './validation';

// docs/internal-api.md is the contract's prose: every fenced JSON example it marks with
// `<!-- schema: XSchema -->` must parse with that schema, every endpoint schema needs an example,
// and every field of the wire shapes must be mentioned.
const DOC = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'internal-api.md'), 'utf8');

/** Schemas of what travels on each endpoint (and the trigger webhook). */
const ENDPOINT_SCHEMAS = [
  'TriggerPayloadSchema',
  'PingAnswerSchema',
  'RunReadSchema',
  'LeaseRequestSchema',
  'LeaseResponseSchema',
  'HandoffRequestSchema',
  'HandoffAnswerSchema',
  'SendingRequestSchema',
  'SendingAnswerSchema',
  'ResultsRequestSchema',
  'ResultsAnswerSchema',
] as const;

/** Nested shapes whose fields the doc must mention too. */
const NESTED_SCHEMAS = [
  'GrantSchema',
  'SenderSchema',
  'EndpointPolicySchema',
  'LeaseItemSchema',
  'LeaseLeadSchema',
  'LeaseCampaignSchema',
  'LeaseTrackingSchema',
  'LeaseTrackingTokensSchema',
  'LeaseCallbacksSchema',
  'LeaseThreadingSchema',
  'ResultSchema',
] as const;

type SchemaName = (typeof ENDPOINT_SCHEMAS)[number] | (typeof NESTED_SCHEMAS)[number];

function schema(name: string): ContractSchema<unknown> {
  const found = (contracts as unknown as Record<string, ContractSchema<unknown> | undefined>)[name];
  assert.ok(found && typeof found === 'object' && '_zod' in found, `${name} is not a schema of @cadence/contracts`);
  return found;
}

/** Top-level field names of an object schema (through pipes and checks). */
function fields(name: SchemaName): string[] {
  let def = (schema(name) as unknown as { _zod: { def: { type: string; in?: { _zod: unknown }; shape?: Record<string, unknown> } } })._zod
    .def;
  while (def.type === 'pipe') def = (def.in as { _zod: { def: typeof def } })._zod.def;
  assert.equal(def.type, 'object', `${name} is not an object schema`);
  return Object.keys(def.shape!);
}

interface Example {
  schema: string;
  line: number;
  json: string;
}

function examples(): Example[] {
  const out: Example[] = [];
  const re = /<!--\s*schema:\s*(\w+)\s*-->\s*\n```json\n([\s\S]*?)\n```/g;
  for (let m = re.exec(DOC); m; m = re.exec(DOC)) {
    out.push({ schema: m[1], line: DOC.slice(0, m.index).split('\n').length, json: m[2] });
  }
  return out;
}

describe('docs/internal-api.md against the schemas', () => {
  const all = examples();

  it('has marked examples, and no unmarked JSON block', () => {
    assert.ok(all.length >= ENDPOINT_SCHEMAS.length);
    const fences = DOC.match(/```json\n/g)?.length ?? 0;
    assert.equal(fences, all.length, 'every ```json block is preceded by <!-- schema: XSchema -->');
  });

  it('every example parses with its schema', () => {
    for (const e of all) {
      let value: unknown;
      assert.doesNotThrow(() => (value = JSON.parse(e.json)), `line ${e.line}: not JSON`);
      const parsed = parseContract(schema(e.schema), value);
      assert.ok(parsed.ok, `line ${e.line}: the ${e.schema} example does not validate: ${parsed.ok ? '' : parsed.message}`);
    }
  });

  it('every endpoint has an example', () => {
    const shown = new Set(all.map((e) => e.schema));
    for (const name of ENDPOINT_SCHEMAS) assert.ok(shown.has(name), `no example of ${name}`);
  });

  it('every field of the wire shapes is mentioned', () => {
    for (const name of [...ENDPOINT_SCHEMAS, ...NESTED_SCHEMAS]) {
      for (const field of fields(name)) {
        assert.ok(
          DOC.includes(`"${field}"`) || DOC.includes(`\`${field}\``),
          `${name}.${field} is never mentioned in docs/internal-api.md`,
        );
      }
    }
  });

  it("the outcomes, skip reasons and channels it lists are the contract's", () => {
    for (const outcome of contracts.OUTCOMES)
      assert.match(DOC, new RegExp(`\\| ${outcome}\\s+\\|`), `outcome ${outcome} missing from the table`);
    for (const reason of contracts.SKIP_REASONS) assert.ok(DOC.includes(`\`${reason}\``), `skip reason ${reason} not listed`);
    for (const kind of contracts.SENDER_KINDS) assert.ok(DOC.includes(`"${kind}"`), `sender kind ${kind} not listed`);
  });
});
