import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class UpdateEmailAccountDto {
  /**
   * Messages per rolling 24 hours (Google: 2,000 Workspace, 500 consumer Gmail).
   * @example 2000
   */
  @IsOptional()
  @IsInt()
  @ApiPropertyOptional({ type: 'integer' })
  @Min(1)
  @Max(100_000)
  dailyCap?: number;
}
