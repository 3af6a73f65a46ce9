// Imported first by the root scripts (npm start, npm test's setup): an older Node would get far into the
// build and die compiling a native module (isolated-vm) with pages of C++ errors that never name the cause.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const wanted = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '.nvmrc'), 'utf8').trim();
const [wantedMajor] = wanted.split('.').map(Number);
const [major] = process.versions.node.split('.').map(Number);
if (major < wantedMajor) {
  console.error(
    `Cadence needs Node.js ${wantedMajor} (${wanted}, see .nvmrc); this is ${process.version}. ` +
      `Install it with \`nvm install\` (or fnm, volta, your package manager), or run \`source scripts/use-node.sh\` to fetch it from the npm registry.`,
  );
  process.exit(1);
}
