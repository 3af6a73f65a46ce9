import { IsOptional, IsString, MaxLength } from 'class-validator';

export class InviteUserDto {
  /**
   * The Google address the person signs in with (checked and lower-cased by the service).
   * @example "ann@acme.example"
   */
  @IsString()
  @MaxLength(320)
  email: string;

  /** @example "Ann Smith" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}
