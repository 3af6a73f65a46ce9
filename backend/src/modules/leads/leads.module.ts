import { Module } from '@nestjs/common';
import { LeadCsvImportService } from './csv/lead-csv-import.service';
import { LeadMessagesService } from './lead-messages.service';
import { LeadUpsertWriter } from './lead-upsert.writer';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';

@Module({
  controllers: [LeadsController],
  providers: [LeadsService, LeadUpsertWriter, LeadCsvImportService, LeadMessagesService],
  exports: [LeadsService, LeadCsvImportService],
})
export class LeadsModule {}
