import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A member of the organization (`presentUser`). */
export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  email: string;

  name: string | null;

  /** E.164: the phone "call now" rings first (callbacks). */
  @ApiProperty({ type: 'string', nullable: true })
  phone: string | null;

  /** True once the person has signed in with Google. */
  signedUp: boolean;

  lastSignInAt: Date | null;

  createdAt: Date;
}

/** A pending invitation (`presentInvitation`). */
export class InvitationResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  email: string;

  name: string | null;

  expiresAt: Date;

  createdAt: Date;

  @ApiPropertyOptional({ format: 'uri', description: 'The accept link: only in the answer to the invitation, shown once' })
  acceptUrl?: string;
}

export class UserListResponse {
  items: UserResponse[];

  invitations: InvitationResponse[];
}
