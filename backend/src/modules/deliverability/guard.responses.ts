import { ApiProperty } from '@nestjs/swagger';

export class GuardThresholdsResponse {
  @ApiProperty() bounceRate: number;
  @ApiProperty() complaintRate: number;
  @ApiProperty() rejectionRate: number;
  @ApiProperty() minSample: number;
}

export class GuardMetricsResponse {
  @ApiProperty({ format: 'date-time', description: 'Start of the counted period: 24 hours ago, or the last resume' }) since: string;
  @ApiProperty({ description: 'Messages the provider accepted' }) sent: number;
  @ApiProperty({ description: 'Accepted, then reported failed (bounces, undelivered)' }) bounced: number;
  @ApiProperty() complained: number;
  @ApiProperty({ description: "Refused by the provider's API when sent" }) rejected: number;
  @ApiProperty() bounceRate: number;
  @ApiProperty() complaintRate: number;
  @ApiProperty() rejectionRate: number;
}

export class GuardResponse {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ enum: ['sending', 'paused'] }) state: 'sending' | 'paused';
  @ApiProperty({ type: 'string', nullable: true, description: 'Why the guard paused the sender' }) reason: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) pausedAt: string | null;
  @ApiProperty({ type: GuardMetricsResponse, nullable: true, description: 'The figures when it paused' })
  pausedMetrics: GuardMetricsResponse | null;
  @ApiProperty({ type: GuardMetricsResponse, description: 'The figures now' }) metrics: GuardMetricsResponse;
  @ApiProperty({ type: GuardThresholdsResponse }) thresholds: GuardThresholdsResponse;
}
