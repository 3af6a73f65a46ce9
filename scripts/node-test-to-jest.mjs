#!/usr/bin/env node
// Converts test files written for node's built-in runner (`node:test`) to jest, in place.
//
//   node scripts/node-test-to-jest.mjs [file-or-directory ...]
//
// With no arguments it walks backend/, packages/, sandbox/, web/ and e2e/ (never n8n-nodes/, node_modules/ or
// dist/) for *.test.{ts,mts,mjs} and *.spec.{ts,mts,mjs}. For each file that imports from 'node:test':
//   - the import becomes an import from '@jest/globals' (before -> beforeAll, after -> afterAll, suite -> describe);
//   - calls of before(...) / after(...) become beforeAll(...) / afterAll(...), outside strings and comments;
//   - node:assert assertions are left as they are (they work under jest).
// Idempotent: a file without a 'node:test' import is left alone, so running it twice changes nothing.
// What has no mechanical jest equivalent (test context `t`, mock, option objects such as { skip, timeout,
// concurrency }, t.diagnostic, nested tests) is listed with its line; the exit code is then 1, so fix those by hand.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DEFAULT_DIRS = ['backend', 'packages', 'sandbox', 'web', 'e2e'];
const TEST_FILE = /\.(test|spec)\.(ts|mts|mjs|cts|cjs|js)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'n8n-nodes']);

/** node:test export -> jest global. */
const RENAMES = {
  before: 'beforeAll',
  after: 'afterAll',
  suite: 'describe',
  beforeEach: 'beforeEach',
  afterEach: 'afterEach',
  describe: 'describe',
  it: 'it',
  test: 'test',
};

const IMPORT = /^[ \t]*import\s+(?:(\w+)\s*,\s*)?(?:\{([^}]*)\}\s*)?from\s*(['"])node:test\3\s*;?[ \t]*\r?\n?/m;
const DEFAULT_ONLY = /^[ \t]*import\s+(\w+)\s+from\s*(['"])node:test\2\s*;?[ \t]*\r?\n?/m;

function walk(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path)) if (!SKIP_DIRS.has(name)) walk(join(path, name), out);
  } else if (TEST_FILE.test(path)) out.push(path);
  return out;
}

/** Replaces identifier calls `name(` in code, never inside strings, template text, comments or regex literals. */
function renameCalls(src, renames) {
  if (renames.size === 0) return src;
  let out = '';
  let i = 0;
  const templateDepth = []; // brace depth at which each open template's ${ ... } ends
  let braces = 0;
  let lastSignificant = '';
  const isIdent = (c) => c !== undefined && /[\w$]/.test(c);
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      out += src.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      out += src.slice(i, stop);
      i = stop;
      continue;
    }
    if (
      c === '/' &&
      (lastSignificant === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(lastSignificant) || /\b(return|typeof|case|of|in)$/.test(out.trimEnd()))
    ) {
      // a regex literal
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n') {
        if (src[j] === '\\') j += 2;
        else if (src[j] === '[') {
          inClass = true;
          j++;
        } else if (src[j] === ']') {
          inClass = false;
          j++;
        } else if (src[j] === '/' && !inClass) break;
        else j++;
      }
      out += src.slice(i, j + 1);
      i = j + 1;
      lastSignificant = '/';
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
      lastSignificant = c;
      continue;
    }
    if (c === '`' || (c === '}' && templateDepth.length && templateDepth.at(-1) === braces)) {
      // template text up to the closing backtick or the next ${
      if (c === '}') {
        templateDepth.pop();
        braces--;
      }
      let j = i + 1;
      while (j < src.length) {
        if (src[j] === '\\') j += 2;
        else if (src[j] === '`') break;
        else if (src[j] === '$' && src[j + 1] === '{') break;
        else j++;
      }
      if (src[j] === '$') {
        out += src.slice(i, j + 2);
        i = j + 2;
        braces++;
        templateDepth.push(braces);
        lastSignificant = '{';
      } else {
        out += src.slice(i, j + 1);
        i = j + 1;
        lastSignificant = '`';
      }
      continue;
    }
    if (c === '{') braces++;
    if (c === '}') braces--;
    if (isIdent(c) && !isIdent(src[i - 1])) {
      let j = i;
      while (isIdent(src[j])) j++;
      const word = src.slice(i, j);
      const prev = out.trimEnd().at(-1);
      const callFollows = /^\s*\(/.test(src.slice(j, j + 50));
      if (renames.has(word) && callFollows && prev !== '.' && !/\b(function|async function)\s*$/.test(out)) out += renames.get(word);
      else out += word;
      i = j;
      lastSignificant = word.at(-1);
      continue;
    }
    out += c;
    if (!/\s/.test(c)) lastSignificant = c;
    i++;
  }
  return out;
}

/** Lines that use node:test features jest has no mechanical equivalent for. */
function manualWork(src) {
  const checks = [
    [
      /\b(it|test|describe|suite)\s*\(\s*(['"`]).*?\2\s*,\s*\{/,
      'an options object ({ skip, todo, timeout, concurrency, only }): jest takes a timeout as the 3rd argument, it.skip / it.todo / it.only / describe.skip otherwise',
    ],
    [
      /\b(it|test)(\.\w+)?\s*\(.*,\s*(async\s*)?(\(\s*[A-Za-z_$][\w$]*\s*(,[^)]*)?\)|[A-Za-z_$][\w$]*)\s*=>/,
      'the test takes a context argument: jest would treat it as a `done` callback',
    ],
    [
      /\b(it|test)(\.\w+)?\s*\(.*,\s*(async\s+)?function\s*\w*\s*\(\s*\w+/,
      'the test takes a context argument: jest would treat it as a `done` callback',
    ],
    [
      /\bt\.(skip|todo|diagnostic|plan|test|before|after|beforeEach|afterEach|mock|signal|name|runOnly|assert)\b/,
      'test-context API (t.skip/t.diagnostic/t.test/...)',
    ],
    [/\bmock\.(fn|method|timers|module|getter|setter|reset|restoreAll)\b/, 'node:test mock: use jest.fn / jest.spyOn / jest.useFakeTimers'],
    [/\b(it|test|describe)\.(todo|skip|only)\s*\(\s*(['"`]).*?\3\s*,\s*\{/, 'an options object on skip/todo/only'],
  ];
  const found = [];
  src.split('\n').forEach((line, n) => {
    for (const [re, why] of checks) if (re.test(line)) found.push(`${n + 1}: ${why}\n      ${line.trim()}`);
  });
  return found;
}

function convert(src) {
  let defaultName;
  let named = '';
  let match = src.match(IMPORT);
  if (match) {
    defaultName = match[1];
    named = match[2] ?? '';
  } else {
    match = src.match(DEFAULT_ONLY);
    if (!match) return undefined;
    defaultName = match[1];
  }
  const specifiers = [];
  const renames = new Map();
  const unknown = [];
  if (defaultName) specifiers.push(defaultName === 'test' ? 'test' : `test as ${defaultName}`);
  for (const raw of named
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [imported, local = imported] = raw.split(/\s+as\s+/).map((s) => s.trim());
    const target = RENAMES[imported];
    if (!target) {
      unknown.push(imported);
      continue;
    }
    if (local === imported && target !== imported) {
      renames.set(local, target);
      specifiers.push(target);
    } else specifiers.push(local === target ? target : `${target} as ${local}`);
  }
  const quote = match[0].includes('"') ? '"' : "'";
  const unique = [...new Set(specifiers)].sort((a, b) => a.localeCompare(b));
  const replacement = `import { ${unique.join(', ')} } from ${quote}@jest/globals${quote};\n`;
  const start = match.index;
  const body = src.slice(0, start) + replacement + src.slice(start + match[0].length);
  return { text: renameCalls(body, renames), unknown };
}

const args = process.argv.slice(2);
const targets = (args.length ? args : DEFAULT_DIRS.map((d) => join(ROOT, d))).map((p) => resolve(p));
const files = targets.flatMap((t) => walk(t, []));
let converted = 0;
let attention = 0;
for (const file of files) {
  const src = readFileSync(file, 'utf8');
  const result = convert(src);
  if (!result) continue;
  writeFileSync(file, result.text);
  converted++;
  const name = relative(process.cwd(), file);
  console.log(`converted ${name}`);
  const todo = [
    ...manualWork(result.text),
    ...result.unknown.map((u) => `import: node:test's \`${u}\` has no jest global; translate by hand`),
  ];
  if (todo.length) {
    attention++;
    console.log(`  needs a hand in ${name}:\n    ${todo.join('\n    ')}`);
  }
}
console.log(
  `${converted} file(s) converted from node:test to jest${attention ? `, ${attention} need manual changes (listed above)` : ''}.`,
);
process.exitCode = attention ? 1 : 0;
