// A memory cgroup for one process tree: what a container's memory limit is to n8n, on a machine without a
// container engine. Node sizes its heap from the limit it sees at start (process.constrainedMemory()), and
// the kernel ends the tree (OOM kill) if it goes past it. cgroup v2 where the memory controller is enabled
// at the root, else v1's memory hierarchy; both need root.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const V2 = '/sys/fs/cgroup';
const V1 = '/sys/fs/cgroup/memory';

function v2HasMemory() {
  try {
    return readFileSync(join(V2, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('memory');
  } catch {
    return false;
  }
}

/** A new cgroup limited to `limitMb`; answers its folder, its peak and OOM-kill counts, and remove(). */
export function createMemoryCgroup(name, limitMb) {
  const bytes = String(Math.round(limitMb * 1024 * 1024));
  const v2 = v2HasMemory();
  const parent = v2 ? V2 : V1;
  if (!v2 && !existsSync(join(V1, 'memory.limit_in_bytes')))
    throw new Error('no writable memory cgroup (cgroup v2 with the memory controller, or v1 at /sys/fs/cgroup/memory) on this machine');
  const dir = join(parent, name);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, v2 ? 'memory.max' : 'memory.limit_in_bytes'), bytes);
    // No swap to hide in: past the limit is an OOM kill, as in a container without swap.
    const swap = join(dir, v2 ? 'memory.swap.max' : 'memory.memsw.limit_in_bytes');
    if (existsSync(swap)) writeFileSync(swap, v2 ? '0' : bytes);
  } catch (error) {
    throw new Error(`cannot create the memory cgroup ${dir} (root is needed): ${error.message}`);
  }
  const read = (file) => {
    try {
      return readFileSync(join(dir, file), 'utf8');
    } catch {
      return '';
    }
  };
  return {
    dir,
    limitMb,
    /** The cgroup's peak usage (MB; v1 counts page cache too) and how many processes the kernel killed in it. */
    stats() {
      const peak = Number(read(v2 ? 'memory.peak' : 'memory.max_usage_in_bytes')) / 1024 / 1024;
      const events = read(v2 ? 'memory.events' : 'memory.oom_control');
      const oomKills = Number(/oom_kill (\d+)/.exec(events)?.[1] ?? 0);
      return { peakMb: peak, oomKills };
    },
    remove() {
      try {
        rmdirSync(dir);
      } catch {
        /* still has processes, or gone */
      }
    },
  };
}
