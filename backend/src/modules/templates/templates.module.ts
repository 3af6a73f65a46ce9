import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { TemplateLibraryController } from './library/template-library.controller';
import { TemplateLibraryService } from './library/template-library.service';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

@Module({
  imports: [LeadsModule],
  // The library's fixed paths (`/templates/library`) before the templates' `/templates/:id`.
  controllers: [TemplateLibraryController, TemplatesController],
  providers: [TemplatesService, TemplateLibraryService],
})
export class TemplatesModule {}
