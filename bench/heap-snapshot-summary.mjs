#!/usr/bin/env node
// What a V8 heap snapshot is made of, by class: the companion of bench/n8n-memory-probe.cjs, whose
// `touch /tmp/n8n-snapshot-now` writes one of n8n main. With two snapshots (an idle n8n, then the same
// n8n mid-campaign) it prints what the second holds more of: the campaign's own live set.
//   node --max-old-space-size=8192 bench/heap-snapshot-summary.mjs idle.heapsnapshot [mid.heapsnapshot]
// A snapshot is taken after a full collection, so it counts live objects only: garbage a campaign makes
// between collections (what V8 grows its heap for) does not show here, only in the probe's heapUsed.
import { readFileSync } from 'node:fs';

const MB = 1024 * 1024;
const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);
/** Strings this long are mostly the sources of loaded scripts, which V8 keeps for lazy compilation. */
const LONG_STRING = 4096;

/** Self sizes by class (type and constructor name), and the item shapes (first property names) of plain objects. */
function summarize(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const { meta } = snap.snapshot;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const [nodeTypes] = meta.node_types;
  const [edgeTypes] = meta.edge_types;
  const at = (field) => meta.node_fields.indexOf(field);
  const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map(at);
  const iEdgeType = meta.edge_fields.indexOf('type');
  const iEdgeName = meta.edge_fields.indexOf('name_or_index');
  const { nodes, edges, strings } = snap;
  const classes = new Map();
  const shapes = new Map();
  const long = { count: 0, bytes: 0, largest: [] };
  let total = 0;
  const add = (map, key, size) => {
    const entry = map.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += size;
    map.set(key, entry);
  };
  for (let i = 0, edge = 0; i < nodes.length; i += nodeFields) {
    const type = nodeTypes[nodes[i + iType]];
    const name = strings[nodes[i + iName]];
    const size = nodes[i + iSize];
    const edgeEnd = edge + nodes[i + iEdges] * edgeFields;
    total += size;
    add(classes, STRING_TYPES.has(type) ? type : `${type}: ${name.slice(0, 60)}`, size);
    if (type === 'string' && size >= LONG_STRING) {
      long.count += 1;
      long.bytes += size;
      long.largest.push([size, name.slice(0, 70)]);
    }
    if (type === 'object' && name === 'Object') {
      const props = [];
      for (let e = edge; e < edgeEnd && props.length < 6; e += edgeFields)
        if (edgeTypes[edges[e + iEdgeType]] === 'property' && strings[edges[e + iEdgeName]] !== '__proto__')
          props.push(strings[edges[e + iEdgeName]]);
      add(shapes, `{${props.join(', ')}}`, size);
    }
    edge = edgeEnd;
  }
  long.largest = long.largest.sort((x, y) => y[0] - x[0]).slice(0, 5);
  return { total, classes, shapes, long };
}

function table(title, rows, limit) {
  console.log(`\n${title}`);
  for (const [key, { count, bytes }] of rows.slice(0, limit))
    console.log(`${(bytes / MB).toFixed(2).padStart(9)} MB ${String(count).padStart(9)}  ${key}`);
}

const [first, second] = process.argv.slice(2);
if (!first) {
  console.error('usage: node --max-old-space-size=8192 bench/heap-snapshot-summary.mjs <a.heapsnapshot> [<b.heapsnapshot>]');
  process.exit(2);
}
const a = summarize(first);
const bySize = (map) => [...map].sort((x, y) => y[1].bytes - x[1].bytes);
console.log(`${first}: ${(a.total / MB).toFixed(1)} MB live`);
table('largest classes (self size, objects)', bySize(a.classes), 25);
console.log(`\nstrings of ${LONG_STRING / 1024} KB or more: ${(a.long.bytes / MB).toFixed(1)} MB in ${a.long.count}; the largest begin`);
for (const [size, start] of a.long.largest) console.log(`${(size / MB).toFixed(2).padStart(9)} MB  ${JSON.stringify(start)}`);
table(
  'plain objects by shape (most first)',
  [...a.shapes].sort((x, y) => y[1].count - x[1].count),
  15,
);
if (second) {
  const b = summarize(second);
  const diff = (before, after) =>
    [...after]
      .map(([key, v]) => [key, { count: v.count - (before.get(key)?.count ?? 0), bytes: v.bytes - (before.get(key)?.bytes ?? 0) }])
      .filter(([, v]) => v.bytes > 0)
      .sort((x, y) => y[1].bytes - x[1].bytes);
  console.log(`\n${second}: ${(b.total / MB).toFixed(1)} MB live, ${((b.total - a.total) / MB).toFixed(1)} MB more than the first`);
  table('classes it holds more of', diff(a.classes, b.classes), 20);
  table('plain-object shapes it holds more of', diff(a.shapes, b.shapes), 15);
}
