import { Module } from '@nestjs/common';
import { SecretBox } from '../../common/crypto/secret-box';
import { Environment } from '../../config/environment';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthKeys } from './auth-keys';
import { GoogleOAuth } from './google-oauth';
import { SessionController } from './session.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [UsersModule],
  controllers: [AuthController, SessionController],
  providers: [
    { provide: AuthKeys, inject: [Environment, SecretBox], useFactory: (env: Environment, box: SecretBox) => new AuthKeys(env, box) },
    SessionsService,
    GoogleOAuth,
  ],
  exports: [SessionsService, GoogleOAuth],
})
export class AuthModule {}
