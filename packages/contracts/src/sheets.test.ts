import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { formatA1, parseA1, quoteSheet, spreadsheetRef } from './sheets';

const ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';

describe('Google Sheets addressing', () => {
  it('takes the id out of a pasted Sheets URL (with its gid) or an id, and nothing else', () => {
    assert.deepEqual(spreadsheetRef(`https://docs.google.com/spreadsheets/d/${ID}/edit#gid=123`), { spreadsheetId: ID, gid: 123 });
    assert.deepEqual(spreadsheetRef(`https://docs.google.com/spreadsheets/u/1/d/${ID}/edit?gid=5`), { spreadsheetId: ID, gid: 5 });
    assert.deepEqual(spreadsheetRef(` ${ID} `), { spreadsheetId: ID });
    for (const bad of ['', 'short', `http://docs.google.com/spreadsheets/d/${ID}`, `https://evil.test/spreadsheets/d/${ID}`, `${ID}/../x`])
      assert.equal(spreadsheetRef(bad), undefined, bad);
  });

  it('reads A1 ranges as the Sheets API does and writes them back', () => {
    const cases: Array<[string, ReturnType<typeof parseA1>, string?]> = [
      ['Sheet1!A1:F', { sheet: 'Sheet1', startColumn: 1, startRow: 1, endColumn: 6 }, 'Sheet1!A1:F'],
      ["'My leads'!B2:H500", { sheet: 'My leads', startColumn: 2, startRow: 2, endColumn: 8, endRow: 500 }, "'My leads'!B2:H500"],
      ["'It''s'!A1:B2", { sheet: "It's", startColumn: 1, startRow: 1, endColumn: 2, endRow: 2 }, "'It''s'!A1:B2"],
      ['A:F', { startColumn: 1, startRow: 1, endColumn: 6 }],
      ['2:500', { startColumn: 1, startRow: 2, endRow: 500 }],
      ['Leads', { sheet: 'Leads', startColumn: 1, startRow: 1 }],
      ['AA10', { startColumn: 27, startRow: 10, endColumn: 27, endRow: 10 }],
    ];
    for (const [text, parsed, written] of cases) {
      assert.deepEqual(parseA1(text), parsed, text);
      if (written) assert.equal(formatA1(parsed!), written);
    }
    for (const bad of ['Sheet1!A:1', 'Sheet1!', 'Sheet1!B5:A1', 'X!A1:B:C', "'open!A1", '']) assert.equal(parseA1(bad), undefined, bad);
  });

  it('quotes tab titles that are not plain words or that read as cells', () => {
    assert.equal(quoteSheet('Sheet1'), 'Sheet1');
    assert.equal(quoteSheet('AB1'), "'AB1'");
    assert.equal(quoteSheet('Q3 leads'), "'Q3 leads'");
  });
});
