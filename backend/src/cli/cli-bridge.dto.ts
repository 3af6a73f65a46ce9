import { IsArray, IsString, MaxLength } from 'class-validator';

/** One `cadence` CLI command, run inside the backend that holds the embedded database. */
export class CliCommandDto {
  /** @example "org:create" */
  @IsString()
  @MaxLength(100)
  command: string;

  /** @example ["Acme"] */
  @IsArray()
  @IsString({ each: true })
  args: string[];
}
