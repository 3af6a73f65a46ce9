import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Environment, validateEnvironment } from './environment';
import { RuntimeSecrets } from './runtime-secrets';

/**
 * Validated configuration, injectable as the `Environment` class.
 * `overrides` lets tests and the CLI boot the app with their own variables without touching process.env.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(overrides: Partial<Record<keyof Environment, string>> = {}): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          cache: true,
          envFilePath: ['.env'],
          validate: (raw) => ({ env: validateEnvironment({ ...raw, ...overrides }) }),
        }),
      ],
      providers: [
        {
          provide: Environment,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.get<Environment>('env'),
        },
        { provide: RuntimeSecrets, inject: [Environment], useFactory: (env: Environment) => new RuntimeSecrets(env) },
      ],
      exports: [Environment, RuntimeSecrets],
    };
  }
}
