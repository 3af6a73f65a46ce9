import { ApiPropertyOptional } from '@nestjs/swagger';

/** Documentation of the lead shape; validation itself is `normalizeLead`, shared with the CSV import. */
export class LeadInputDto {
  @ApiPropertyOptional({ example: 'ada@example.com' })
  email?: string;

  @ApiPropertyOptional({ example: '+14155550123', description: 'E.164, or national with ?defaultCountry=' })
  phone?: string;

  @ApiPropertyOptional({ example: 'Ada' })
  firstName?: string;

  @ApiPropertyOptional({ example: 'Lovelace' })
  lastName?: string;

  @ApiPropertyOptional({ example: 'Europe/London' })
  timezone?: string;

  @ApiPropertyOptional({ example: { company: 'Analytical Engines', plan: 'pro' } })
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ example: { email: true, sms: false }, description: 'Per channel: true opted in, false opted out' })
  consent?: Record<string, boolean>;
}
