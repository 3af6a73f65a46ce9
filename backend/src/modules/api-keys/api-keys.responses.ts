import { ApiProperty } from '@nestjs/swagger';

/** A key as listed: never the secret. */
export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  name: string;

  /** The public part of `cad_<prefix>_<secret>`, to recognize a key. */
  prefix: string;

  createdAt: Date;

  lastUsedAt: Date | null;

  revokedAt: Date | null;
}

export class ApiKeyListResponse {
  items: ApiKeyResponse[];
}

/** A new key: the only answer that carries the full key. */
export class IssuedApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  name: string;

  prefix: string;

  /**
   * The full key, shown once and never stored: send it as `Authorization: Bearer <key>`.
   * @example "cad_f09514a9529625cb_FLXKUQVd4D5T3mcE0iEGWqr639iq-oPqsdlZuwzCn6I"
   */
  @ApiProperty({ pattern: '^cad_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$' })
  key: string;

  createdAt: Date;
}
