import { Environment } from '../../config/environment';

/** Where providers and recipients reach this backend (webhooks, tracking links, unsubscribe pages). */
export function publicUrl(env: Environment): string {
  return (env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, '');
}
