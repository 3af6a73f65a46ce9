import { ApiProperty } from '@nestjs/swagger';

export class WarmupResponse {
  @ApiProperty() startPerDay: number;
  @ApiProperty() growthPercent: number;
  @ApiProperty() targetPerDay: number;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ description: 'Whole days since the ramp started (0 on its first day)' }) day: number;
  @ApiProperty({ description: "Today's daily cap (messages in any 24 hours); the sender's own cap still applies" }) capToday: number;
  @ApiProperty({ description: 'Messages the sender was given quota for in the last 24 hours' }) sentLast24h: number;
  @ApiProperty({ description: 'The ramp reached its target' }) complete: boolean;
  @ApiProperty({ format: 'date-time', description: 'When the daily cap reaches the target' }) completesAt: string;
}
