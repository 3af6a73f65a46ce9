import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { leader, normalCdf, significance, twoProportionPValue } from './significance';

describe('A/B significance', () => {
  it('computes the normal CDF', () => {
    assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
    assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
    assert.ok(Math.abs(normalCdf(-1.644854) - 0.05) < 1e-6);
  });

  it('matches a textbook two-proportion z-test', () => {
    // 200/1000 against 150/1000: pooled 0.175, z = 2.9424, two-sided p = 0.00326.
    const p = twoProportionPValue(200, 1000, 150, 1000);
    assert.ok(Math.abs(p - 0.00326) < 0.0001, String(p));
    // 12/100 against 10/100: far from significant (p ≈ 0.65).
    const q = twoProportionPValue(12, 100, 10, 100);
    assert.ok(q > 0.6 && q < 0.7, String(q));
  });

  it('answers 1 when there is nothing to compare', () => {
    assert.equal(twoProportionPValue(0, 0, 5, 10), 1);
    assert.equal(twoProportionPValue(0, 10, 0, 10), 1);
    assert.equal(twoProportionPValue(10, 10, 10, 10), 1);
  });

  it('compares the leader with the runner-up, ties to the earlier variant', () => {
    const s = significance([
      { id: 'A', success: 150, total: 1000 },
      { id: 'B', success: 200, total: 1000 },
      { id: 'C', success: 10, total: 1000 },
    ]);
    assert.equal(s?.leaderVariantId, 'B');
    assert.equal(s?.confident, true);
    assert.ok(Math.abs(s.pValue - 0.00326) < 0.0001);
    const tie = significance([
      { id: 'A', success: 5, total: 50 },
      { id: 'B', success: 5, total: 50 },
    ]);
    assert.deepEqual(tie && [tie.leaderVariantId, tie.confident], ['A', false]);
    assert.equal(
      significance([
        { id: 'A', success: 1, total: 10 },
        { id: 'B', success: 0, total: 0 },
      ]),
      null,
    );
    assert.equal(
      leader([
        { id: 'A', success: 1, total: 10 },
        { id: 'B', success: 2, total: 10 },
      ]),
      'B',
    );
    assert.equal(
      leader([
        { id: 'A', success: 1, total: 10 },
        { id: 'B', success: 1, total: 10 },
      ]),
      'A',
    );
    assert.equal(leader([{ id: 'A', success: 0, total: 0 }]), undefined);
  });
});
