import { LIBRARY_CATEGORIES, type LibraryCategory } from '@cadence/contracts';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { TEMPLATE_CHANNELS, type TemplateChannel } from '../template.entity';

export class LibraryQueryDto {
  @IsOptional() @IsIn(TEMPLATE_CHANNELS) channel?: TemplateChannel;
  @IsOptional() @IsIn(LIBRARY_CATEGORIES) category?: LibraryCategory;
}

export class CopyLibraryTemplateDto {
  /**
   * The new template's name; the entry's name when absent.
   * @example "Spring welcome"
   */
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name?: string;
}
