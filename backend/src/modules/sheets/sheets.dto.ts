import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsPlainObject } from '../../common/http/validators';
import { CONSENT_CHANNELS, type ConsentChannel } from '../leads/lead.entity';

/** `GET /sheets/{id}/spreadsheets/{spreadsheetId}`: which tab or range to preview. */
export class SheetPreviewQueryDto {
  /**
   * An A1 range whose first row is the header; its tab wins over `sheet`.
   * @example "Sheet1!A1:F"
   */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  range?: string;

  /**
   * A tab by title (default: the tab of a pasted URL's gid, else the first tab).
   * @example "Leads"
   */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sheet?: string;
}

/** `POST /leads/import/sheets`: a range of a Google spreadsheet, imported like a CSV file. */
export class SheetsImportDto {
  /** A connected Gmail mailbox of the organization whose Google account can open the spreadsheet. */
  @IsUUID()
  accountId: string;

  /**
   * The spreadsheet's id, or its full address (https://docs.google.com/spreadsheets/d/…; a `gid` in it picks the tab).
   * @example "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"
   */
  @IsString()
  @MaxLength(500)
  spreadsheetId: string;

  /**
   * The A1 range to import; its first row is the header (row numbers in errors are the sheet's).
   * @example "Sheet1!A1:F"
   */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  range?: string;

  /** A tab by title, imported from A1, when `range` is not given. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sheet?: string;

  /**
   * As the CSV import's: {"<header>": "email"|"phone"|"countryCode"|"firstName"|"lastName"|"timezone"|"consent.<channel>"|"attributes.<key>"|null}; unmapped columns are guessed by name.
   * @example {"Work Email": "email", "Plan": "attributes.plan", "Notes": null}
   */
  @IsOptional()
  @IsPlainObject()
  mapping?: Record<string, string | null>;

  /**
   * ISO country for phone numbers without a + prefix.
   * @example "US"
   */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{2}$/)
  defaultCountry?: string;

  /** The importer states that every recipient of the range opted in to this channel (recorded with who and when). */
  @IsOptional()
  @IsIn(CONSENT_CHANNELS)
  @ApiPropertyOptional({ enum: CONSENT_CHANNELS })
  consentConfirmed?: ConsentChannel;

  /** Answer the ids of the leads the range created or updated (leadIds, up to 100,000). */
  @IsOptional()
  @IsBoolean()
  returnIds?: boolean;
}
