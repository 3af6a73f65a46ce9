#!/usr/bin/env node
import { optionsFromEnv } from './config';
import { startSandbox } from './sandbox-server';

async function main(): Promise<void> {
  const options = optionsFromEnv();
  const sandbox = await startSandbox(options);
  console.log(
    `Provider sandbox listening on ${sandbox.url} (dashboard ${sandbox.url}/_sandbox, rate limits ${sandbox.context.settings.rateLimits.enabled ? 'on' : 'off'}, seed ${sandbox.context.behaviour.seed})`,
  );
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  // A sandbox that dies mid-run takes every test with it; log stray errors and keep serving.
  process.on('unhandledRejection', (err) => console.error('[sandbox] unhandled rejection', err));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('[sandbox] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
