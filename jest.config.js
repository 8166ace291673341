// The machines run Node 20 knowingly (Lambda runs Node 22): silence the AWS SDK's notice in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Test tiers are folders and jest projects: unit (no network), integration (DynamoDB Local +
 * Bot API stand-in), infra (CDK Template assertions + cdk-nag), hardening (fuzz, replays,
 * concurrency, faults). Types are checked separately by `npm run typecheck`. */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const base = {
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  // Generous per-test budget: integration tests start servers and a loaded 2-core CI box is slow;
  // speed targets live in `npm run bench`, never in timeouts.
  testTimeout: 30_000,
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The telegraf shim's name for the directory of telegraf's entry (lib/constructs/herald-function.ts).
  moduleNameMapper: {
    '^herald-telegraf-lib/(.*)$': `${require('node:path').dirname(require.resolve('telegraf'))}/$1`,
  },
};
module.exports = {
  // One DynamoDB Local for the whole run; each test file makes its own table.
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  testTimeout: 30_000,
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    { ...base, displayName: 'hardening', testMatch: ['<rootDir>/test/hardening/**/*.test.ts'] },
  ],
};
