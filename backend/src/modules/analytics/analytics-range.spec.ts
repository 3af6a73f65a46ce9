import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { AppError } from '../../common/errors/app-error';
import { parseBucket, parseRange } from './analytics-range';

const NOW = new Date('2026-06-15T12:00:00Z');
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).code;
  }
  return undefined;
};

describe('analytics ranges', () => {
  it('default to the last 30 days, take ISO dates and times, and treat `to` as exclusive', () => {
    assert.deepEqual(parseRange(undefined, undefined, 'day', NOW), { from: new Date('2026-05-16T12:00:00Z'), to: NOW });
    assert.deepEqual(parseRange('2026-01-01', '2026-01-31T00:00:00Z', 'hour', NOW), {
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-01-31T00:00:00Z'),
    });
  });

  it('refuse reversed, empty, malformed and too long ranges with invalid_range', () => {
    assert.equal(
      code(() => parseRange('2026-02-01', '2026-01-01', 'day', NOW)),
      'invalid_range',
    );
    assert.equal(
      code(() => parseRange('2026-01-01', '2026-01-01', 'day', NOW)),
      'invalid_range',
    );
    assert.equal(
      code(() => parseRange('yesterday', undefined, 'day', NOW)),
      'invalid_range',
    );
    assert.equal(
      code(() => parseRange('2026-13-45', undefined, 'day', NOW)),
      'invalid_range',
    );
    assert.equal(
      code(() => parseRange('2025-01-01', '2026-03-01', 'day', NOW)),
      'invalid_range',
    );
    assert.equal(
      code(() => parseRange('2026-01-01', '2026-02-02', 'hour', NOW)),
      'invalid_range',
    );
    assert.equal(
      code(() => parseRange('2026-01-01', '2026-02-01', 'hour', NOW)),
      undefined,
    );
  });

  it('know two buckets', () => {
    assert.equal(parseBucket(undefined, 'day'), 'day');
    assert.equal(parseBucket('hour', 'day'), 'hour');
    assert.equal(
      code(() => parseBucket('week', 'day')),
      'validation_failed',
    );
  });
});
