import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Outside production a secret that is not configured is generated once into the data folder, so
 * `npm start` needs no set-up and restarts keep the same value. Production must configure it.
 */
export function localSecret(dataDir: string, fileName: string, variable: string): string {
  const dir = resolve(dataDir);
  const file = join(dir, fileName);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
    new Logger('Config').warn(`${variable} is not set: generated one at ${file} (set ${variable} in production)`);
  }
  return readFileSync(file, 'utf8').trim();
}
