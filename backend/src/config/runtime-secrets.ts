import { Environment } from './environment';
import { localSecret } from './local-secret';

/** Shared secrets between the backend and n8n; configured in production, generated locally otherwise. */
export class RuntimeSecrets {
  readonly internalApiToken: string;
  readonly triggerSigningSecret: string;

  constructor(env: Environment) {
    this.internalApiToken = env.INTERNAL_API_TOKEN ?? localSecret(env.DATA_DIR, 'internal-api.token', 'INTERNAL_API_TOKEN');
    this.triggerSigningSecret = env.TRIGGER_SIGNING_SECRET ?? localSecret(env.DATA_DIR, 'trigger-signing.secret', 'TRIGGER_SIGNING_SECRET');
  }
}
