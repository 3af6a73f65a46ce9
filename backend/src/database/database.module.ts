import { Global, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Environment } from '../config/environment';
import { dataSourceOptions, isEmbedded } from './data-source-options';
import { runMigrations } from './migration-runner';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({ ...dataSourceOptions(env), retryAttempts: 3, retryDelay: 1000 }),
    }),
  ],
})
export class DatabaseModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('DatabaseModule');

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const applied = await runMigrations(this.dataSource);
    const where = isEmbedded(this.env) ? `embedded PGlite in ${this.env.DATA_DIR}/pglite` : 'PostgreSQL';
    this.logger.log(`Database ready (${where}); ${applied.length} migration(s) applied`);
  }
}
