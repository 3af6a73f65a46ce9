import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * PGlite is one process's database: the backend that opens a data folder records itself here, so a
 * second backend refuses to start on it and the CLI hands its commands to the running one instead.
 */
export interface InstanceInfo {
  pid: number;
  port: number;
  adminToken: string;
}

const file = (dataDir: string) => join(resolve(dataDir), 'backend.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLiveInstance(dataDir: string): InstanceInfo | undefined {
  if (!existsSync(file(dataDir))) return undefined;
  try {
    const info = JSON.parse(readFileSync(file(dataDir), 'utf8')) as InstanceInfo;
    return info.pid !== process.pid && alive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

export function claimDataDir(dataDir: string): void {
  const other = readLiveInstance(dataDir);
  if (other)
    throw new Error(
      `Another backend (pid ${other.pid}, port ${other.port}) is using the embedded database in ${resolve(dataDir)}; stop it or set DATABASE_URL`,
    );
}

export function publishInstance(dataDir: string, port: number): InstanceInfo {
  const info = { pid: process.pid, port, adminToken: randomBytes(32).toString('base64url') };
  mkdirSync(resolve(dataDir), { recursive: true });
  writeFileSync(file(dataDir), JSON.stringify(info), { mode: 0o600 });
  const release = () => {
    try {
      const current = JSON.parse(readFileSync(file(dataDir), 'utf8')) as InstanceInfo;
      if (current.pid === process.pid) rmSync(file(dataDir), { force: true });
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return info;
}
