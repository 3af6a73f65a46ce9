import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { AppError } from '../../common/errors/app-error';
import {
  assertCallbackMove,
  CALLBACK_STATUSES,
  CALLBACK_TRANSITIONS,
  eventForCallbackStatus,
  moveCallback,
  OPEN_CALLBACK_STATUSES,
  type CallbackStatus,
} from './callback-status';

/** Every move `PUT /status` may make, written out: the machine must answer exactly these. */
const ALLOWED: Record<CallbackStatus, CallbackStatus[]> = {
  pending: ['assigned', 'cancelled'],
  assigned: ['assigned', 'pending', 'in_progress', 'completed', 'no_answer', 'cancelled'],
  in_progress: ['assigned', 'completed', 'no_answer', 'cancelled'],
  completed: [],
  no_answer: ['assigned', 'cancelled', 'pending'],
  cancelled: [],
};

describe('the callback status machine', () => {
  it('allows exactly the listed moves and refuses every other with callback_invalid_transition', () => {
    for (const from of CALLBACK_STATUSES)
      for (const to of CALLBACK_STATUSES) {
        if (ALLOWED[from].includes(to)) assert.equal(CALLBACK_TRANSITIONS[eventForCallbackStatus(from, to)].to, to, `${from} -> ${to}`);
        else
          assert.throws(
            () => eventForCallbackStatus(from, to),
            (e: unknown) => e instanceof AppError && e.code === 'callback_invalid_transition',
            `${from} -> ${to} must be refused`,
          );
      }
  });

  it('completed and cancelled are final; only assigned or in-progress requests complete', () => {
    for (const event of Object.keys(CALLBACK_TRANSITIONS) as Array<keyof typeof CALLBACK_TRANSITIONS>) {
      assert.ok(!(CALLBACK_TRANSITIONS[event].from as readonly string[]).includes('completed'), event);
      assert.ok(!(CALLBACK_TRANSITIONS[event].from as readonly string[]).includes('cancelled'), event);
    }
    assert.throws(() => assertCallbackMove('pending', 'complete'), /cannot complete/);
    assert.doesNotThrow(() => assertCallbackMove('in_progress', 'complete'));
    assert.deepEqual([...OPEN_CALLBACK_STATUSES], ['pending', 'assigned', 'in_progress']);
  });

  it("the statement's WHERE clause holds only the move's from states, and an end sets completed_at and the resolution", async () => {
    const seen: Array<{ sql: string; params: unknown[] }> = [];
    const m = { query: async (sql: string, params?: unknown[]) => (seen.push({ sql, params: params ?? [] }), [[{ id: 'a' }], 1]) };
    assert.equal(await moveCallback(m as never, 'a', 'complete', 'Booked'), true);
    assert.deepEqual(seen[0].params, ['a', 'completed', true, 'Booked', ['assigned', 'in_progress']]);
    await moveCallback(m as never, 'a', 'reopen');
    assert.deepEqual(seen[1].params, ['a', 'pending', false, null, ['no_answer']]);
    const none = { query: async () => [[], 0] };
    assert.equal(await moveCallback(none as never, 'a', 'start'), false, 'a concurrent move won: nothing moved');
  });
});
