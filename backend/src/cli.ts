import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { CliUsageError, runCliCommand, USAGE } from './cli/cli-commands';
import { Environment, InvalidEnvironmentError, validateEnvironment } from './config/environment';
import { readLiveInstance } from './database/instance-lock';

/** Prints one JSON line on stdout; everything else goes to stderr. */
async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.error(USAGE);
    return command ? 0 : 2;
  }
  const env: Environment = validateEnvironment(process.env);
  const running = env.DATABASE_URL ? undefined : readLiveInstance(env.DATA_DIR);
  if (running) {
    const res = await fetch(`http://127.0.0.1:${running.port}/internal/cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-token': running.adminToken },
      body: JSON.stringify({ command, args }),
    });
    const body = (await res.json()) as { result?: unknown; message?: string };
    if (!res.ok) throw new CliUsageError(body.message ?? `backend answered ${res.status}`);
    process.stdout.write(JSON.stringify(body.result) + '\n');
    return 0;
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(), { logger: ['error'] });
  await app.init();
  try {
    process.stdout.write(JSON.stringify(await runCliCommand(app, command, args)) + '\n');
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CliUsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof InvalidEnvironmentError) console.error(error.message);
    else console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof CliUsageError ? 2 : 1);
  },
);
