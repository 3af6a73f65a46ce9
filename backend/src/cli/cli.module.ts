import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../modules/api-keys/api-keys.module';
import { OrganizationsModule } from '../modules/organizations/organizations.module';
import { CliBridgeController } from './cli-bridge.controller';

@Module({
  imports: [OrganizationsModule, ApiKeysModule],
  controllers: [CliBridgeController],
})
export class CliModule {}
