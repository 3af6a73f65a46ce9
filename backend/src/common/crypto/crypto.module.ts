import { Global, Module } from '@nestjs/common';
import { Environment } from '../../config/environment';
import { localSecret } from '../../config/local-secret';
import { parseKey, SecretBox } from './secret-box';

/** Outside production a missing key is generated once into the data folder, so `npm start` needs no set-up. */
function loadCurrentKey(env: Environment): Buffer {
  if (env.ENCRYPTION_KEY) return parseKey(env.ENCRYPTION_KEY);
  return Buffer.from(localSecret(env.DATA_DIR, 'encryption.key', 'ENCRYPTION_KEY'), 'base64url');
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
