import { normalizeEmail, normalizePhone } from '../leads/lead-normalizer';
import { SuppressionChannel } from './suppression.entity';

/** Suppressions match leads exactly, so addresses go through the same normalizers. */
export function normalizeSuppressionAddress(channel: SuppressionChannel, address: unknown, defaultCountry?: string): string | Error {
  const normalized = channel === 'email' ? normalizeEmail(address) : normalizePhone(address, defaultCountry);
  if (normalized === null) return new Error('address is required');
  return normalized;
}
