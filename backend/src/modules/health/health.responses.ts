import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class ComponentStateResponse {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';

  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  latencyMs?: number;

  @ApiPropertyOptional({ description: 'Why it is down' })
  error?: string;
}

export class DatabaseStateResponse extends ComponentStateResponse {
  @ApiProperty({ enum: ['pglite', 'postgres'] })
  kind: 'pglite' | 'postgres';
}

export class N8nStateResponse extends ComponentStateResponse {
  @ApiProperty({ format: 'uri' })
  url: string;
}

/** `ok`: all up; `degraded`: n8n down (sending waits, the API works); `down`: the database is down (503). */
export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'degraded', 'down'] })
  status: 'ok' | 'degraded' | 'down';

  database: DatabaseStateResponse;

  n8n: N8nStateResponse;
}
