// The V8 flags every launcher starts the backend with (npm start, `npm start -w backend`, the Docker image,
// the e2e stack and the benchmarks; e2e/src/launch-flags.test.mjs holds them to this list).
//
// Why: the backend's live heap is ~70 MB, yet with V8's defaults on a large machine (a 4 GB heap limit,
// 32 MB semi-spaces) its RSS climbed from ~210 to ~400 MB during a 100,000-recipient campaign: V8 sized
// its first old-generation limit from the 4 GB and ran one major GC in the whole run, so every lease's
// promoted garbage stayed resident. A 512 MB old space makes it collect at a size proportional to that
// (peak ~230 MB), with room for several 10 MB request bodies at once. The semi-space is set too because
// V8 derives it from the old space otherwise: alone, a 192 MB old space shrank the young generation so
// far that the backend ran 153 major GCs and spent 3x the CPU; with 16 MB semi-spaces it ran ~15 at the
// CPU of the defaults (docs/architecture.md "Memory").
export const BACKEND_NODE_FLAGS = ['--max-old-space-size=512', '--max-semi-space-size=16'];
