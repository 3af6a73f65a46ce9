import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { CONVERSATION_STATUSES, CONVERSATION_TRANSITIONS, eventForStatus, moveConversations } from './conversation-status';
import { asLiquidLiteral, readableReply } from './conversation-reply.service';

describe('the conversation status machine', () => {
  it('lets a person set any status from any other, and setting the same status is no move', () => {
    for (const from of CONVERSATION_STATUSES)
      for (const to of CONVERSATION_STATUSES) {
        const event = eventForStatus(from, to);
        if (from === to) assert.equal(event, null);
        else assert.equal(CONVERSATION_TRANSITIONS[event!].to, to, `${from} → ${to}`);
      }
  });

  it('an inbound message reopens every status; our answer only moves an open conversation to waiting', () => {
    assert.deepEqual([...CONVERSATION_TRANSITIONS.inbound.from].sort(), [...CONVERSATION_STATUSES].sort());
    assert.deepEqual(CONVERSATION_TRANSITIONS.answered, { from: ['open'], to: 'waiting' });
  });

  it("each statement's WHERE clause holds only its move's from states", async () => {
    const seen: Array<{ sql: string; params: unknown[] }> = [];
    await moveConversations({ query: async (sql: string, params?: unknown[]) => seen.push({ sql, params: params ?? [] }) }, ['a'], 'close');
    assert.match(seen[0].sql, /SET status = 'closed'/);
    assert.match(seen[0].sql, /status IN \('open', 'waiting'\)/);
    await moveConversations({ query: async () => assert.fail('no ids, no statement') }, [], 'close');
  });
});

describe('inbox replies are sent as typed', () => {
  it('escapes every Liquid opener and reads back the original', () => {
    for (const text of ['Hi {{ lead.first_name }}', '{% raw %}x{% endraw %}', '{{{', 'plain', '{"json": {"a": 1}}'])
      assert.equal(readableReply(asLiquidLiteral(text)), text);
    assert.doesNotMatch(asLiquidLiteral('{{ x }}').replaceAll('{{ "{" }}', ''), /\{/);
  });
});
