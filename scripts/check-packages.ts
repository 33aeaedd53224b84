/**
 * `pnpm check:packages`: every package checked as a user installs it, from the tarball
 * `pnpm publish` would upload (see `packed-packages.ts`), not from the workspace folder.
 *
 * For each tarball:
 * - `publint --strict` and `attw` (are the types wrong: ESM, CJS and node10 resolution);
 * - it holds the LICENSE, the README and the built `dist`;
 * - its manifest has no workspace-only parts (`workspace:` ranges, the `dev-source`
 *   export condition that points at TypeScript sources) and has the registry metadata
 *   (license, repository with its directory, homepage, bugs, keywords);
 * - every link in its README works where the README is read (the registry's page, an
 *   editor's preview inside `node_modules`): absolute, and when it points into this
 *   repository, at a file that exists.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, ROOT } from './packed-packages.ts';

export const REPOSITORY_URL = 'https://github.com/innkeeper-js/innkeeper';

const work = mkdtempSync(join(tmpdir(), 'innkeeper-check-packages-'));
const problems: string[] = [];

try {
  for (const packed of packAll(join(work, 'tarballs'))) {
    const say = (problem: string) => problems.push(`${packed.name}: ${problem}`);
    console.log(`\n── ${packed.name} (${packed.tarball.split('/').at(-1)})`);
    run(say, 'publint', ['run', packed.tarball, '--strict']);
    run(say, 'attw', [packed.tarball]);

    const unpacked = join(work, packed.dir);
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('tar', ['-xzf', packed.tarball, '-C', unpacked]);
    const root = join(unpacked, 'package');
    for (const file of ['LICENSE', 'README.md', 'dist/index.js', 'dist/index.cjs']) {
      if (!existsSync(join(root, file))) say(`the tarball has no ${file}`);
    }
    checkManifest(say, packed.dir, readFileSync(join(root, 'package.json'), 'utf8'));
    checkReadmeLinks(say, readFileSync(join(root, 'README.md'), 'utf8'));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s) in the packed packages:`);
  for (const problem of problems) console.error(`- ${problem}`);
  process.exit(1);
}
console.log('\nEvery packed package passes publint, attw and the content checks.');

function run(say: (problem: string) => void, bin: string, args: string[]): void {
  try {
    execFileSync('pnpm', ['exec', bin, ...args], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    say(`${bin} failed`);
  }
}

function checkManifest(say: (problem: string) => void, dir: string, text: string): void {
  const manifest = JSON.parse(text) as Record<string, unknown>;
  // Scripts may use the condition (they run in the workspace); what resolves imports may not.
  if (JSON.stringify(manifest.exports ?? {}).includes('dev-source')) {
    say('the published exports still have the dev-source condition (it points at .ts sources)');
  }
  if (text.includes('workspace:')) say('the published package.json still has workspace: ranges');
  const repository = manifest.repository as { url?: string; directory?: string } | undefined;
  if (manifest.license !== 'MIT') say('license is not MIT');
  if (repository?.url !== `git+${REPOSITORY_URL}.git`) say('repository.url is not the repository');
  if (repository?.directory !== `packages/${dir}`)
    say(`repository.directory is not packages/${dir}`);
  if (typeof manifest.homepage !== 'string' || !manifest.homepage.startsWith(REPOSITORY_URL)) {
    say('homepage does not point into the repository');
  }
  if (!(manifest.bugs as { url?: string } | undefined)?.url) say('bugs.url is missing');
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) say('no keywords');
}

/** Markdown links and images: `[text](target)`, targets without spaces. */
function checkReadmeLinks(say: (problem: string) => void, readme: string): void {
  const prose = readme.replace(/```[\s\S]*?```/g, '');
  for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (target === undefined || target.startsWith('#')) continue;
    if (!/^(https?:|mailto:)/.test(target)) {
      say(`README link "${target}" is relative: dead on the registry and in node_modules`);
      continue;
    }
    const ours = target.match(
      new RegExp(`^${REPOSITORY_URL.replaceAll('.', '\\.')}/(?:blob|tree)/main/([^#?]+)`),
    );
    if (ours?.[1] && !existsSync(join(ROOT, decodeURIComponent(ours[1])))) {
      say(`README link "${target}" points at ${ours[1]}, which is not in the repository`);
    }
  }
}
