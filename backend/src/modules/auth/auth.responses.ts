import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserResponse } from '../users/users.responses';

export class AuthStatusResponse {
  /** Whether "Sign in with Google" is configured on this backend. */
  google: boolean;

  /** `open`: any verified Google address may create an organization; `invite`: only invited addresses. */
  @ApiProperty({ enum: ['open', 'invite'] })
  signupMode: 'open' | 'invite';
}

export class SessionOrganizationResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  name: string;
}

/** Who is calling. */
export class SessionResponse {
  organization: SessionOrganizationResponse;

  @ApiProperty({ type: UserResponse, nullable: true, description: 'The signed-in person; null for an API key' })
  user: UserResponse | null;

  @ApiPropertyOptional({ description: 'Web sessions only: echo it in `X-CSRF-Token` on state-changing requests' })
  csrfToken?: string;
}
