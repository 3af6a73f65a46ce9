import { INestApplication, ParseUUIDPipe } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { fixCsvBodies } from '../common/http/api-csv-upload';
import pluginMetadata from '../metadata';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/** The tags of the document, in the order a reader meets them, each with what it groups. */
const TAGS: Array<[string, string]> = [
  ['leads', 'The audience: people with an email and/or a phone, attributes and consent; CSV import'],
  ['templates', 'Liquid templates per channel, with previews rendered by the same renderer n8n uses'],
  ['channels', 'Sender connections: Mailgun domains, Twilio numbers, WhatsApp Business numbers'],
  ['email-accounts', 'Gmail mailboxes connected through OAuth in the web UI'],
  ['campaigns', 'Campaigns and their steps: launch, progress, messages, pause, resume, cancel'],
  ['suppressions', 'Addresses that must not be contacted on a channel'],
  ['api-keys', 'Keys for programs calling this API'],
  ['users', 'People who can sign in to the web UI, and invitations'],
  ['auth', 'Web sign-in with Google and the caller identity'],
  ['health', 'Liveness and readiness probes'],
];

/**
 * The OpenAPI document of the public API, from the controllers' decorators and the build-time plugin metadata
 * (src/metadata.ts). Served at /docs-json and written to a file by `npm run openapi:export`.
 */
export async function buildOpenApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  // Request and response schemas come from the DTO and response classes (types, `?`, JSDoc, class-validator
  // rules), read at build time by the @nestjs/swagger plugin into src/metadata.ts (scripts/openapi-metadata.mjs).
  await SwaggerModule.loadPluginMetadata(pluginMetadata);
  const builder = new DocumentBuilder()
    .setTitle('Cadence API')
    .setDescription(
      'Multi-channel outbound campaigns. Authenticate with `Authorization: Bearer <apiKey>`. Every error answers ' +
        '`{statusCode, code, message, details?}` with a stable `code`.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: the document is served by the backend it describes, wherever that is.
    .addServer('/', 'This backend')
    // Every route is behind the global API-key guard unless it is @Public() (which states `security: [{}]`).
    .addSecurityRequirements('bearer')
    // An API key is an opaque `cad_<prefix>_<secret>`, not a JWT (the default this would otherwise claim).
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'cad_<prefix>_<secret> API key',
      description: 'An opaque API key `cad_<prefix>_<secret>` (from `POST /api/v1/api-keys` or the CLI), looked up by its prefix',
    });
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build());
  markUuidPathParams(document, uuidPathParams(app));
  nameOperations(document);
  describeSuccesses(document);
  return fixCsvBodies(document);
}

/** `@ApiOkResponse({ type })` leaves the description empty (it is required): say what the status means. */
function describeSuccesses(document: OpenAPIObject): void {
  const reasons: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No content' };
  for (const operation of operations(document)) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (response && 'description' in response && !response.description) response.description = reasons[status] ?? status;
    }
  }
}

/**
 * The path parameters each handler checks with ParseUUIDPipe, keyed by Nest's default operationId
 * (`<Controller>_<method>`): read from the routes themselves, so `format: uuid` is stated exactly where it is enforced.
 */
function uuidPathParams(app: INestApplication): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
          string,
          { data?: unknown; pipes?: unknown[] }
        >;
        const names = Object.entries(args)
          .filter(([key, arg]) => key.startsWith(`${RouteParamtypes.PARAM}:`) && typeof arg.data === 'string')
          .filter(([, arg]) => (arg.pipes ?? []).some((pipe) => pipe === ParseUUIDPipe || pipe instanceof ParseUUIDPipe))
          .map(([, arg]) => arg.data as string);
        if (names.length) found.set(`${controller.name}_${method}`, names);
      }
    }
  }
  return found;
}

function markUuidPathParams(document: OpenAPIObject, params: Map<string, string[]>): void {
  for (const operation of operations(document)) {
    const names = params.get(operation.operationId ?? '') ?? [];
    for (const parameter of operation.parameters ?? []) {
      if ('in' in parameter && parameter.in === 'path' && names.includes(parameter.name)) {
        parameter.schema = { type: 'string', format: 'uuid' };
      }
    }
  }
}

/** `LeadsController_list` → `leads_list`: the tag (what clients group by) and the handler, unique across the document. */
function nameOperations(document: OpenAPIObject): void {
  const seen = new Set<string>();
  for (const operation of operations(document)) {
    // An operationId given in @ApiOperation stays as written.
    if (!/^\w+Controller_\w+$/.test(operation.operationId ?? '')) {
      seen.add(operation.operationId!);
      continue;
    }
    const method = operation.operationId!.split('_').pop()!;
    const tag = (operation.tags?.[0] ?? 'default').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const id = `${tag}_${method}`;
    if (seen.has(id)) throw new Error(`Two operations would be named ${id}: rename one handler`);
    seen.add(id);
    operation.operationId = id;
  }
}

function operations(document: OpenAPIObject): Operation[] {
  return Object.values(document.paths).flatMap((item) =>
    (['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const).flatMap((verb) => (item[verb] ? [item[verb]] : [])),
  );
}
