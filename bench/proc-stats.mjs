// CPU time and peak memory of the processes a benchmark drives, read from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

function statFields(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // comm may contain spaces: fields start after the closing parenthesis.
  return { comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), rest: text.slice(text.lastIndexOf(')') + 2).split(' ') };
}

/** CPU seconds (user + system) used so far by a process. */
export function cpuSeconds(pid) {
  try {
    const { rest } = statFields(pid);
    return (Number(rest[11]) + Number(rest[12])) / TICKS;
  } catch {
    return 0;
  }
}

export function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A process and its direct children (n8n and its task runner). */
export function treeCpuSeconds(pid) {
  return cpuSeconds(pid) + childrenOf(pid).reduce((sum, child) => sum + cpuSeconds(child), 0);
}

/**
 * PostgreSQL's own workers, not a client's connection: what they cost follows the volume of WAL and dirty
 * pages the statements leave behind (written out, flushed, checkpointed), not the statements themselves.
 */
const POSTGRES_BACKGROUND =
  /: (checkpointer|background writer|walwriter|autovacuum (launcher|worker)|logical replication launcher|archiver)\b/;

/** Every PostgreSQL server process on the machine; `background`: only its own workers (POSTGRES_BACKGROUND). */
export function postgresCpuSeconds({ background = false } = {}) {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { comm, rest } = statFields(entry);
      if (comm !== 'postgres') continue;
      if (background) {
        if (POSTGRES_BACKGROUND.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8')))
          total += (Number(rest[11]) + Number(rest[12])) / TICKS;
        continue;
      }
      // Backends come and go: the postmaster keeps what its exited children used (cutime, cstime).
      total += (Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14])) / TICKS;
    } catch {
      /* gone */
    }
  }
  return total;
}

/** PostgreSQL's background workers' CPU between two snapshots (a part of cpuMeter's `postgres`). */
export function postgresBackgroundMeter() {
  const start = postgresCpuSeconds({ background: true });
  return () => postgresCpuSeconds({ background: true }) - start;
}

export function peakRssMb(pid) {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

/** CPU used by each named process between two snapshots. */
export function cpuMeter(pids) {
  const read = () => ({
    ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, treeCpuSeconds(pid)])),
    postgres: postgresCpuSeconds(),
  });
  const start = read();
  return () => {
    const end = read();
    return Object.fromEntries(Object.keys(end).map((k) => [k, end[k] - start[k]]));
  };
}

function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return 0;
  }
}

/** Resident memory of a process and its direct children now (n8n main + task runner). */
export function treeRssMb(pid) {
  return rssMb(pid) + childrenOf(pid).reduce((sum, child) => sum + rssMb(child), 0);
}

/**
 * Resident memory of each named process tree during one phase of a benchmark: at the start (idle), the
 * highest sample while it runs, and the highest in the phase's second half. VmHWM would carry an earlier
 * phase's peak into this one. The second half tells growth with the campaign from a start-up transient:
 * memory that grows with the count of messages is highest at the end, a transient is not.
 */
export function rssMeter(pids, everyMs = 200) {
  const idle = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, treeRssMb(pid)]));
  const samples = Object.fromEntries(Object.keys(pids).map((name) => [name, []]));
  const timer = setInterval(() => {
    for (const [name, pid] of Object.entries(pids)) samples[name].push(treeRssMb(pid));
  }, everyMs);
  return () => {
    clearInterval(timer);
    return Object.fromEntries(
      Object.keys(pids).map((name) => {
        const all = samples[name];
        const max = (values) => Math.max(idle[name], ...values);
        return [name, { idle: idle[name], peak: max(all), secondHalfPeak: max(all.slice(Math.floor(all.length / 2))) }];
      }),
    );
  };
}

export const rssLine = (rss) =>
  Object.entries(rss)
    .map(
      ([k, v]) =>
        `${k} ${v.idle.toFixed(0)} → ${v.peak.toFixed(0)} MB (+${(v.peak - v.idle).toFixed(0)}; second half ≤ ${v.secondHalfPeak.toFixed(0)})`,
    )
    .join(', ');
