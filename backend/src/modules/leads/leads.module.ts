import { Module } from '@nestjs/common';
import { LeadCsvImportService } from './csv/lead-csv-import.service';
import { LeadUpsertWriter } from './lead-upsert.writer';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';

@Module({
  controllers: [LeadsController],
  providers: [LeadsService, LeadUpsertWriter, LeadCsvImportService],
  exports: [LeadsService],
})
export class LeadsModule {}
