import { parseArgs } from 'node:util';
import { ApiKeysService } from '../modules/api-keys/api-keys.service';
import { OrganizationsService } from '../modules/organizations/organizations.service';
import { presentInvitation, UsersService } from '../modules/users/users.service';
import { Environment } from '../config/environment';
import { publicUrl } from '../modules/tracking/public-url';

export class CliUsageError extends Error {}

/** What a command needs from Nest: an application context, or a ModuleRef inside the running app. */
export interface ProviderResolver {
  get<T>(token: new (...args: never[]) => T): T;
}

export const USAGE = `Usage: npm run cli -- <command> [options]
  org:create --name <name>                 create an organization; prints {"organizationId","apiKey"}
  org:list                                 list organizations
  api-key:create --org <id> --name <name>  issue another API key (shown once)
  api-key:revoke --org <id> --id <keyId>   revoke an API key
  user:add --org <id> --email <address> [--name <name>]
                                           let a person sign in to the web UI with Google`;

function options(args: string[], spec: Record<string, { required: boolean }>): Record<string, string> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: Object.fromEntries(Object.keys(spec).map((k) => [k, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | undefined>;
  for (const [name, { required }] of Object.entries(spec)) {
    if (required && !values[name]?.trim()) throw new CliUsageError(`--${name} is required`);
  }
  return values as Record<string, string>;
}

/** Every CLI command, run either in-process or, for embedded databases, inside the running backend. */
export async function runCliCommand(app: ProviderResolver, command: string, args: string[]): Promise<unknown> {
  switch (command) {
    case 'org:create': {
      const { name } = options(args, { name: { required: true } });
      const { organization, apiKey } = await app.get(OrganizationsService).create(name.trim());
      return { organizationId: organization.id, apiKey: apiKey.key };
    }
    case 'org:list': {
      options(args, {});
      return (await app.get(OrganizationsService).list()).map((o) => ({ organizationId: o.id, name: o.name, createdAt: o.createdAt }));
    }
    case 'api-key:create': {
      const { org, name } = options(args, { org: { required: true }, name: { required: true } });
      const issued = await app.get(ApiKeysService).issue(org, name);
      return { id: issued.id, apiKey: issued.key };
    }
    case 'api-key:revoke': {
      const { org, id } = options(args, { org: { required: true }, id: { required: true } });
      const key = await app.get(ApiKeysService).revoke(org, id);
      return { id: key.id, revokedAt: key.revokedAt };
    }
    case 'user:add': {
      const { org, email, name } = options(args, { org: { required: true }, email: { required: true }, name: { required: false } });
      // Prints the accept link: the person joins by opening it and signing in with Google as this address.
      const { invitation, token } = await app.get(UsersService).invite(org, email, name);
      return presentInvitation(invitation, `${publicUrl(app.get(Environment))}/auth/google?invitation=${token}`);
    }
    default:
      throw new CliUsageError(`Unknown command "${command}"`);
  }
}
