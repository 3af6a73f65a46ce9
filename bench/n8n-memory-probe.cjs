// Where n8n's memory goes, measured from inside it. Preload it into n8n with the campaign benchmark:
//   BENCH_N8N_NODE_OPTIONS="--require $PWD/bench/n8n-memory-probe.cjs" BENCH_SMS=200 npm run bench -- campaign
// Each n8n process (main, task runner, workers) appends a line a second to /tmp/n8n-memory-<pid>.log
// (BENCH_PROBE_DIR to change the folder): seconds since start, then MB of RSS, V8's heap (committed, used),
// external memory and ArrayBuffers. At each new RSS peak it also reads /proc/self/smaps and appends a `peak`
// line: V8's pages (anonymous 256 KB mappings), glibc's heap, file-backed and other anonymous memory (MB).
// `touch /tmp/n8n-snapshot-now` makes n8n main write a heap snapshot (/tmp/n8n-heap-<pid>-<s>s.heapsnapshot),
// which bench/heap-snapshot-summary.mjs reads.
// A diagnostic only: reading smaps costs the process a few milliseconds each time.
const { appendFileSync, existsSync, readFileSync, rmSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');
const { getHeapStatistics, writeHeapSnapshot } = require('node:v8');

const MB = 1024 * 1024;

function smapsClasses() {
  const classes = { v8Pages: 0, mallocHeap: 0, file: 0, otherAnon: 0 };
  let kind = 'otherAnon';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const [, from, to, name] = mapping;
      const size = Number.parseInt(to, 16) - Number.parseInt(from, 16);
      kind = name === '[heap]' ? 'mallocHeap' : name.startsWith('/') ? 'file' : !name && size === 256 * 1024 ? 'v8Pages' : 'otherAnon';
    } else if (line.startsWith('Rss:')) classes[kind] += Number(line.split(/\s+/)[1]) * 1024;
  }
  return Object.entries(classes).map(([k, v]) => `${k}=${Math.round(v / MB)}`);
}

if (isMainThread) {
  const dir = process.env.BENCH_PROBE_DIR ?? '/tmp';
  const out = `${dir}/n8n-memory-${process.pid}.log`;
  const started = Date.now();
  let peak = 0;
  const trigger = `${dir}/n8n-snapshot-now`;
  appendFileSync(out, `# ${process.argv.join(' ')}\n# s rss heapTotal heapUsed external arrayBuffers (MB)\n`);
  setInterval(() => {
    const m = process.memoryUsage();
    const h = getHeapStatistics();
    const s = Math.round((Date.now() - started) / 1000);
    const mb = [m.rss, h.total_heap_size, h.used_heap_size, m.external, m.arrayBuffers].map((v) => Math.round(v / MB));
    appendFileSync(out, `${s} ${mb.join(' ')}\n`);
    if (m.rss > peak) {
      peak = m.rss;
      appendFileSync(out, `peak ${s} rss=${mb[0]} ${smapsClasses().join(' ')}\n`);
    }
    // A heap snapshot of n8n main (what its live set is made of) when `<dir>/n8n-snapshot-now` appears:
    // `touch /tmp/n8n-snapshot-now` at the moment to look at. The process stalls for seconds while it is
    // written, and its RSS afterwards is no longer a campaign's.
    if (process.argv.includes('start') && existsSync(trigger)) {
      rmSync(trigger, { force: true });
      const file = writeHeapSnapshot(`${dir}/n8n-heap-${process.pid}-${s}s.heapsnapshot`);
      appendFileSync(out, `snapshot ${s} ${file}\n`);
    }
  }, 1000).unref();
}
