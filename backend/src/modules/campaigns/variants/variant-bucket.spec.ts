import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { BUCKETS, bucketOf, inSample, variantIndexOf } from './variant-bucket';

describe('variant buckets', () => {
  it('places a bucket by cumulative percents, edges included', () => {
    assert.equal(variantIndexOf(0, [50, 50]), 0);
    assert.equal(variantIndexOf(4999, [50, 50]), 0);
    assert.equal(variantIndexOf(5000, [50, 50]), 1);
    assert.equal(variantIndexOf(9999, [50, 50]), 1);
    assert.equal(variantIndexOf(1999, [20, 30, 50]), 0);
    assert.equal(variantIndexOf(2000, [20, 30, 50]), 1);
    assert.equal(variantIndexOf(4999, [20, 30, 50]), 1);
    assert.equal(variantIndexOf(5000, [20, 30, 50]), 2);
    assert.equal(variantIndexOf(9999, [1, 1, 1, 1, 96]), 4);
    assert.equal(variantIndexOf(399, [1, 1, 1, 1, 96]), 3);
  });

  it('is the same for the same lead and seed, case aside, and differs by salt and seed', () => {
    const lead = randomUUID();
    const seed = randomUUID();
    assert.equal(bucketOf(lead, seed, 'variant'), bucketOf(lead.toUpperCase(), seed, 'variant'));
    const leads = Array.from({ length: 200 }, () => randomUUID());
    const a = leads.map((l) => bucketOf(l, seed, 'variant'));
    const b = leads.map((l) => bucketOf(l, seed, 'sample'));
    const c = leads.map((l) => bucketOf(l, randomUUID(), 'variant'));
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(a.every((x) => x >= 0 && x < BUCKETS));
  });

  it('splits 20,000 random leads 30/70 within a point, and samples 25 % within a point', () => {
    const seed = randomUUID();
    let first = 0;
    let sampled = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const lead = randomUUID();
      if (variantIndexOf(bucketOf(lead, seed, 'variant'), [30, 70]) === 0) first++;
      if (inSample(bucketOf(lead, seed, 'sample'), 25)) sampled++;
    }
    assert.ok(Math.abs(first / n - 0.3) < 0.01, `variant A share ${first / n}`);
    assert.ok(Math.abs(sampled / n - 0.25) < 0.01, `sample share ${sampled / n}`);
  });
});
