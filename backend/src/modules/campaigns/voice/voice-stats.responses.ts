import { ApiProperty } from '@nestjs/swagger';

const COUNT = { type: 'integer', minimum: 0 } as const;
const COUNTS_BY_KEY = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } } as const;

export class AttemptsPerLeadResponse {
  @ApiProperty({ minimum: 0, description: 'Calls per lead called at least once' })
  average: number;

  @ApiProperty(COUNT)
  max: number;

  @ApiProperty({ ...COUNTS_BY_KEY, description: 'Leads by number of attempts ("1": 40, "2": 12...)' })
  distribution: Record<string, number>;
}

/** A voice campaign's calls: outcomes, talk time, attempts. */
export class VoiceStatsResponse {
  @ApiProperty({ ...COUNT, description: 'Calls placed, every attempt counted' })
  placed: number;

  @ApiProperty({ ...COUNT, description: 'Placed calls without a final status yet' })
  inProgress: number;

  @ApiProperty({ ...COUNT, description: 'Completed calls a person answered' })
  answered: number;

  @ApiProperty(COUNT)
  busy: number;

  @ApiProperty(COUNT)
  noAnswer: number;

  @ApiProperty(COUNT)
  failed: number;

  @ApiProperty(COUNT)
  canceled: number;

  @ApiProperty({ ...COUNT, description: 'Completed calls answered by a machine (answering-machine detection)' })
  voicemail: number;

  @ApiProperty(COUNT)
  totalTalkSeconds: number;

  @ApiProperty({ minimum: 0 })
  averageTalkSeconds: number;

  @ApiProperty({ minimum: 0, maximum: 1, description: 'answered / placed' })
  successRate: number;

  @ApiProperty({ ...COUNT, description: 'Concurrency slots the campaign holds now (live calls)' })
  liveSlots: number;

  attemptsPerLead: AttemptsPerLeadResponse;

  @ApiProperty({ ...COUNTS_BY_KEY, description: 'Outcomes the AI agent reported: interested, call_back, not_interested' })
  agentOutcomes: Record<string, number>;
}
