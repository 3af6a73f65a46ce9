import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { machineClick, machineOpen } from './machine-traffic';

const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15';
const GMAIL_PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';

describe('machine opens and clicks', () => {
  it('flag the Apple Mail Privacy Protection proxy, scanners, HEAD requests and opens right after sending', () => {
    assert.equal(machineOpen({ method: 'GET', userAgent: 'Mozilla/5.0', secondsSinceSent: 3600 }), 'apple_mpp');
    assert.equal(machineOpen({ method: 'GET', userAgent: undefined, secondsSinceSent: 3600 }), 'apple_mpp');
    assert.equal(machineOpen({ method: 'GET', userAgent: 'Mimecast Security Scanner', secondsSinceSent: 3600 }), 'scanner');
    assert.equal(machineOpen({ method: 'HEAD', userAgent: SAFARI, secondsSinceSent: 3600 }), 'head_request');
    assert.equal(machineOpen({ method: 'GET', userAgent: SAFARI, secondsSinceSent: 1 }), 'too_soon');
  });

  it('leave people alone: a browser or Gmail image proxy some seconds after sending, or with the send time unknown', () => {
    assert.equal(machineOpen({ method: 'GET', userAgent: SAFARI, secondsSinceSent: 40 }), undefined);
    assert.equal(machineOpen({ method: 'GET', userAgent: GMAIL_PROXY, secondsSinceSent: 5 }), undefined);
    assert.equal(machineOpen({ method: 'GET', userAgent: SAFARI, secondsSinceSent: null }), undefined);
    assert.equal(machineClick({ method: 'GET', userAgent: SAFARI, secondsSinceSent: 120 }, null), undefined);
    assert.equal(machineClick({ method: 'GET', userAgent: SAFARI, secondsSinceSent: 120 }, 30), undefined);
  });

  it('flag clicks within seconds of sending, on every link at once, by scanners or without a user agent', () => {
    assert.equal(machineClick({ method: 'GET', userAgent: SAFARI, secondsSinceSent: 4 }, null), 'too_soon');
    assert.equal(machineClick({ method: 'GET', userAgent: SAFARI, secondsSinceSent: 600 }, 0.4), 'link_burst');
    assert.equal(machineClick({ method: 'GET', userAgent: 'python-requests/2.31', secondsSinceSent: 600 }, null), 'scanner');
    assert.equal(machineClick({ method: 'GET', userAgent: '', secondsSinceSent: 600 }, null), 'scanner');
    assert.equal(machineClick({ method: 'HEAD', userAgent: SAFARI, secondsSinceSent: 600 }, null), 'head_request');
  });
});
