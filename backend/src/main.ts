import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { CliBridgeController } from './cli/cli-bridge.controller';
import { Environment, InvalidEnvironmentError, validateEnvironment } from './config/environment';
import { claimDataDir, publishInstance } from './database/instance-lock';

async function main(): Promise<void> {
  const settings = validateEnvironment(process.env);
  if (!settings.DATABASE_URL) claimDataDir(settings.DATA_DIR);
  const app = await createApp();
  await app.init();
  const env = app.get(Environment);
  await app.listen(env.PORT, env.HOST);
  const port = Number(new URL(await app.getUrl()).port);
  if (!env.DATABASE_URL) CliBridgeController.adminToken = publishInstance(env.DATA_DIR, port).adminToken;
  const shown = env.HOST === '0.0.0.0' ? 'localhost' : env.HOST;
  new Logger('Bootstrap').log(`Backend listening on http://${shown}:${port} (API /api/v1, docs /docs)`);
}

main().catch((error: unknown) => {
  // A bad environment must stop the process and name the variable, not print a stack.
  if (error instanceof InvalidEnvironmentError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
