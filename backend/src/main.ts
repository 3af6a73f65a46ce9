import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { Environment, InvalidEnvironmentError } from './config/environment';

async function main(): Promise<void> {
  const app = await createApp();
  await app.init();
  const env = app.get(Environment);
  await app.listen(env.PORT, env.HOST);
  new Logger('Bootstrap').log(`Backend listening on ${await app.getUrl()} (API /api/v1, docs /docs)`);
}

main().catch((error: unknown) => {
  // A bad environment must stop the process and name the variable, not print a stack.
  if (error instanceof InvalidEnvironmentError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
