// Runs before each workflow test file (jest setupFilesAfterEnv), before n8n-core is loaded.
// n8n-core's InstanceSettings writes <N8N_USER_FOLDER>/.n8n/config (an encryption key) on first use:
// keep it in a temporary folder rather than the user's home. Its logger stays quiet unless asked.
import { afterAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const folder = mkdtempSync(join(tmpdir(), 'cadence-n8n-core-'));
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_LOG_LEVEL ??= 'silent';
afterAll(() => rmSync(folder, { recursive: true, force: true }));
