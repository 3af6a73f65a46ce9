import { createHash } from 'node:crypto';

/**
 * A lead's place on a step's 0..9999 line, from the lead and the step's `variant_seed` (null: its id): the same lead
 * lands in the same place whenever it is (re)enrolled, and a duplicated campaign keeps the seed (so a
 * relaunch sends each lead the same variant). `salt` separates the sample draw from the variant draw.
 * SQL and TypeScript compute the same value (md5, first 32 bits); enrollment uses the SQL.
 */
export const BUCKETS = 10_000;

export function bucketSql(leadId: string, seed: string, salt: 'variant' | 'sample'): string {
  return `mod(('x' || substr(md5(${leadId}::text || ':' || ${seed}::text || ':${salt}'), 1, 8))::bit(32)::bigint, ${BUCKETS})`;
}

export function bucketOf(leadId: string, seed: string, salt: 'variant' | 'sample'): number {
  const hex = createHash('md5').update(`${leadId.toLowerCase()}:${seed.toLowerCase()}:${salt}`).digest('hex');
  return parseInt(hex.slice(0, 8), 16) % BUCKETS;
}

/** The index of the variant whose cumulative share covers `bucket` (percents summing to 100, in order). */
export function variantIndexOf(bucket: number, percents: readonly number[]): number {
  let upto = 0;
  for (const [i, p] of percents.entries()) {
    upto += p * (BUCKETS / 100);
    if (bucket < upto) return i;
  }
  return percents.length - 1;
}

/** In the sample when the sample draw falls below its share. */
export function inSample(bucket: number, samplePercent: number): boolean {
  return bucket < samplePercent * (BUCKETS / 100);
}
