// Jest for the community nodes: four projects, selectable with `--selectProjects <name>`
// (scripts test:unit, test:integration, test:workflow, test:n8n). ts-jest transpiles each file on its
// own (isolatedModules in tsconfig.json, no type-check here: `npm run lint` type-checks the tests).
/** @type {import('jest').Config} */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const project = (name, extra = {}) => ({
	displayName: name,
	rootDir: __dirname,
	testEnvironment: 'node',
	transform,
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	...extra,
});

module.exports = {
	projects: [
		project('unit'),
		project('integration'),
		project('workflow', { setupFilesAfterEnv: ['<rootDir>/test/workflow/setup.ts'] }),
		project('n8n'),
	],
	// As with node --test before: one file at a time (the timing assertions of the pacing tests and the
	// sandbox rate limits want the two cores to themselves), 240 s per test (the real-n8n start-up).
	maxWorkers: 1,
	testTimeout: 240_000,
};
