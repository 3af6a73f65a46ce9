import { Global, Logger, Module } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Environment } from '../../config/environment';
import { parseKey, SecretBox } from './secret-box';

/** Outside production a missing key is generated once into the data folder, so `npm start` needs no set-up. */
function loadCurrentKey(env: Environment): Buffer {
  if (env.ENCRYPTION_KEY) return parseKey(env.ENCRYPTION_KEY);
  const dir = resolve(env.DATA_DIR);
  const file = join(dir, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    new Logger('CryptoModule').warn(`ENCRYPTION_KEY is not set: generated one at ${file} (set ENCRYPTION_KEY in production)`);
  }
  return parseKey(readFileSync(file, 'utf8'));
}

@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [Environment],
      useFactory: (env: Environment) => {
        const previous = (env.ENCRYPTION_PREVIOUS_KEYS ?? '').split(',').filter(Boolean).map(parseKey);
        return new SecretBox(loadCurrentKey(env), previous);
      },
    },
  ],
  exports: [SecretBox],
})
export class CryptoModule {}
