import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What every error answers (HttpExceptionFilter): clients branch on `code`, never on `message`. */
export class ErrorResponse {
  @ApiProperty({ type: 'integer', description: 'The HTTP status, repeated', example: 404 })
  statusCode: number;

  @ApiProperty({
    description: 'Stable machine-readable code (backend/src/common/errors/error-codes.ts); each operation lists the ones it answers',
    example: 'lead_not_found',
  })
  code: string;

  @ApiProperty({ description: 'For people; may change', example: 'No lead 6f1c…' })
  message: string;

  @ApiPropertyOptional({
    description: 'More about the error: for `validation_failed` a list of `{field, message}`; for others an object',
    oneOf: [
      { type: 'array', items: {} },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: unknown;
}
