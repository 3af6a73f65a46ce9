import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { SheetReader } from './sheet-reader';
import { SheetsAccess } from './sheets-access';
import { SheetsApi } from './sheets-api';
import { SheetsImportController } from './sheets-import.controller';
import { SheetsController } from './sheets.controller';

/** Google Sheets as a lead source: reading through a connected mailbox's Google account, and the import. */
@Module({
  imports: [LeadsModule],
  controllers: [SheetsController, SheetsImportController],
  providers: [SheetsApi, SheetsAccess, SheetReader],
})
export class SheetsModule {}
