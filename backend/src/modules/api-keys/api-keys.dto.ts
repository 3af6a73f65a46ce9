import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateApiKeyDto {
  /**
   * What the key is for, to recognize it in the list.
   * @example "zapier"
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}
