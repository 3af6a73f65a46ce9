import { AppError } from '../../common/errors/app-error';
import { graphGet } from './graph-request';

/** Messages per second per throughput level (Meta: 80 by default, up to 1,000 once upgraded). */
export const THROUGHPUT_PER_SECOND: Record<string, number> = { STANDARD: 80, HIGH: 1000 };

/** Unique recipients of business-initiated messages per rolling 24 hours, per messaging limit tier. */
export const MESSAGING_TIER_LIMITS: Record<string, number | null> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1000,
  TIER_2K: 2000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: null,
};

export interface NumberLimits {
  throughputLevel: string;
  throughputPerSecond: number;
  messagingLimitTier: string;
  dailyLimit: number | null;
}

/**
 * Reads a number's throughput level and its portfolio's messaging limit tier
 * (`GET /{phone-number-id}?fields=throughput,messaging_limit_tier`). An unknown level counts as
 * STANDARD and an unknown tier as the lowest one Meta gives a new business (250): never above what
 * the number may do.
 */
export async function readNumberLimits(
  baseUrl: string,
  apiVersion: string,
  phoneNumberId: string,
  accessToken: string,
): Promise<NumberLimits> {
  const url = `${baseUrl}/${apiVersion}/${encodeURIComponent(phoneNumberId)}?fields=throughput,messaging_limit_tier`;
  const res = await graphGet(url, accessToken);
  const body = (await res.json().catch(() => ({}))) as { throughput?: { level?: unknown }; messaging_limit_tier?: unknown };
  if (!res.ok)
    throw new AppError('whatsapp_sync_failed', `Meta answered HTTP ${res.status} reading the number's limits`, { httpStatus: res.status });
  const level =
    typeof body.throughput?.level === 'string' && body.throughput.level in THROUGHPUT_PER_SECOND ? body.throughput.level : 'STANDARD';
  const tier =
    typeof body.messaging_limit_tier === 'string' && body.messaging_limit_tier in MESSAGING_TIER_LIMITS
      ? body.messaging_limit_tier
      : 'TIER_250';
  return {
    throughputLevel: level,
    throughputPerSecond: THROUGHPUT_PER_SECOND[level],
    messagingLimitTier: tier,
    dailyLimit: MESSAGING_TIER_LIMITS[tier],
  };
}
