import type { Channel } from '../../api';

/** GET /api-keys: the full key is answered once, at creation (IssuedApiKey), never listed. */
export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface IssuedApiKey {
  id: string;
  name: string;
  prefix: string;
  key: string;
  createdAt: string;
}

/** GET /users: the organization's members and its pending invitations. */
export interface Member {
  id: string;
  email: string;
  name: string | null;
  /** E.164: the phone "Call now" rings first. */
  phone: string | null;
  signedUp: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  name: string | null;
  expiresAt: string;
  createdAt: string;
  /** Only in the answer to the invite itself: the accept link, shown once. */
  acceptUrl?: string;
}

export interface Team {
  items: Member[];
  invitations: Invitation[];
}

/** A channel as the API answers it: secrets only as hints (`…1234`), and where the provider must call back. */
export interface ChannelDetail extends Channel {
  secrets: Record<string, string> | { unreadable: true };
  webhookUrls: Record<string, string>;
}

export type SignupMode = 'open' | 'invite';
