import { openapiSchemaToJsonSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;
type Operation = { operationId?: string; responses: Record<string, { content?: Record<string, { schema?: Json }> }> };

const DOCUMENT_ID = 'openapi.json';
const VERBS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Holds real answers to the OpenAPI document the backend serves: the status must be documented for the operation
 * and the body must match its schema. The document's object schemas stay open for clients (a field added later
 * is not a breaking change), but here every response class is closed (`additionalProperties: false`) so a
 * controller that answers a field the document does not list fails, as does one that omits a required field.
 */
export class OpenApiResponses {
  private readonly ajv: Ajv;
  private readonly routes: Array<{ method: string; template: string; pattern: RegExp; operation: Operation }> = [];
  private readonly validators = new Map<string, ValidateFunction>();
  /** Which `METHOD template` pairs the checked answers hit (coverage). */
  readonly seen = new Set<string>();

  constructor(document: OpenAPIObject) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    const schemas = Object.fromEntries(
      Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => {
        const json = toJsonSchema(schema as Json);
        // Response classes (and whatever they nest inline) are closed; request DTOs they reference stay as documented.
        return [name, name.endsWith('Response') ? closeObjects(json) : json];
      }),
    );
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas } });
    for (const [template, item] of Object.entries(document.paths)) {
      for (const verb of VERBS) {
        const operation = (item as Record<string, Operation | undefined>)[verb];
        if (!operation) continue;
        const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
        this.routes.push({ method: verb.toUpperCase(), template, pattern, operation });
      }
    }
    // A literal segment wins over a parameter (`/leads/import` before `/leads/{id}`).
    this.routes.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }

  /** Every documented operation, as `METHOD template`. */
  operations(): string[] {
    return this.routes.map((r) => `${r.method} ${r.template}`);
  }

  /** What is wrong with this answer according to the document; empty when it conforms. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown): string[] {
    const path = new URL(url, 'http://x').pathname;
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) return [`${method} ${path}: no such operation in the document`];
    const where = `${method} ${route.template} → ${status}`;
    this.seen.add(`${route.method} ${route.template}`);
    const response = route.operation.responses[String(status)];
    if (!response) return [`${where}: status not documented (documented: ${Object.keys(route.operation.responses).join(', ')})`];
    const media = contentType?.split(';')[0].trim();
    if (!response.content) {
      return body === undefined || body === '' ? [] : [`${where}: documented without a body, but answered one`];
    }
    if (!media || !response.content[media]) {
      return [`${where}: answered ${media ?? 'no content type'}, documented ${Object.keys(response.content).join(', ')}`];
    }
    const schema = response.content[media].schema;
    if (!schema) return [];
    const key = `${route.method} ${route.template} ${status} ${media}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(retarget(toJsonSchema(schema)));
      this.validators.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv. `nullable` next to `allOf` (how @nestjs/swagger writes a nullable
 * reference) means "null, or all of these": the converter would make it `type: [object, null]` with the allOf
 * still applied to null, so that case is rewritten first.
 */
function toJsonSchema(schema: Json): Json {
  const converted = openapiSchemaToJsonSchema(nullableRefs(schema) as never, { cloneSchema: true }) as Json;
  delete converted.$schema;
  return retarget(converted);
}

function nullableRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableRefs);
  if (!node || typeof node !== 'object') return node;
  const entries: Json = Object.fromEntries<unknown>(Object.entries(node).map(([k, v]) => [k, nullableRefs(v)]));
  if (entries.nullable === true && (entries.allOf || entries.oneOf || entries.$ref)) {
    const { nullable: _nullable, type: _type, description, ...rest } = entries;
    return { ...(description !== undefined && { description }), anyOf: [{ type: 'null' }, rest] };
  }
  return entries;
}

/** `#/components/schemas/X` → the same schema inside the document added to ajv. */
function retarget<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\//g, `"${DOCUMENT_ID}#/components/schemas/`)) as T;
}

function closeObjects(node: unknown): Json {
  if (Array.isArray(node)) return node.map(closeObjects) as never;
  if (!node || typeof node !== 'object') return node as Json;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, closeObjects(v)])) as Json;
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}
