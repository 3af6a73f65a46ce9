import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { addDecimal, trimDecimal } from './decimal';

describe('decimal money', () => {
  it('trims what PostgreSQL prints and adds exactly', () => {
    assert.equal(trimDecimal('12.5000'), '12.5');
    assert.equal(trimDecimal('10.0000'), '10');
    assert.equal(trimDecimal('7'), '7');
    assert.equal(addDecimal('0.1000', '0.2000'), '0.3');
    assert.equal(addDecimal('99999999999999.9999', '0.0001'), '100000000000000');
    assert.equal(addDecimal('0', '120.5'), '120.5');
  });
});
