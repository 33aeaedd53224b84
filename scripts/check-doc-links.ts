/**
 * `pnpm check:doc-links`: the repository's own Markdown (the README, `docs/`, every
 * package README) and its sources only point at things that exist.
 *
 * - A relative link resolves to a file or folder in the repository, and its `#anchor`
 *   (in this file or the target) to a heading there, slugged the way GitHub does.
 * - A link to this repository on GitHub (package READMEs use absolute ones, see
 *   `check-packages.ts`) points at a file that exists, with a heading for its anchor.
 * - A Markdown file named in a source comment or a doc (such as `architecture.md`) exists
 *   somewhere in the repository, so nothing cites a document its readers cannot see.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, normalize, relative } from 'node:path';
import { ROOT } from './packed-packages.ts';

const REPOSITORY_BLOB =
  /^https:\/\/github\.com\/innkeeper-js\/innkeeper\/(?:blob|tree)\/main\/([^#?]*)(#.*)?$/;

const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f !== '' && existsSync(join(ROOT, f)));
const markdownFiles = tracked.filter(
  (f) =>
    f === 'README.md' || /^docs\/[^/]+\.md$/.test(f) || /^packages\/[^/]+\/README\.md$/.test(f),
);
const sourceFiles = tracked.filter(
  (f) =>
    /^(packages\/[^/]+\/(src|test|bench)|scripts)\/.*\.ts$/.test(f) &&
    !f.endsWith('check-doc-links.ts'),
);
const markdownNames = new Set([
  ...tracked.filter((f) => f.endsWith('.md')).map((f) => basename(f)),
  // Reports the code writes, not documents of the repository.
  'innkeeper-bench.md',
  'innkeeper-bench-cache.md',
  'innkeeper-bench-rooms.md',
  'innkeeper-bench-archive.md',
]);

const problems: string[] = [];
const headingCache = new Map<string, Set<string>>();

for (const file of markdownFiles) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const lines = withoutCodeBlocks(text);
  lines.forEach((line, index) => {
    for (const match of line.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const problem = checkLink(file, match[1] ?? '');
      if (problem) problems.push(`${file}:${index + 1}: ${problem}`);
    }
  });
  checkNamedDocuments(file, text);
}
for (const file of sourceFiles) checkNamedDocuments(file, readFileSync(join(ROOT, file), 'utf8'));

if (problems.length > 0) {
  console.error(`${problems.length} broken reference(s):`);
  for (const problem of problems) console.error(`- ${problem}`);
  process.exit(1);
}
console.log(
  `Every link in ${markdownFiles.length} Markdown files resolves, and every document named in ${sourceFiles.length} sources exists.`,
);

function checkLink(from: string, target: string): string | null {
  if (/^(mailto:|https?:\/\/(?!github\.com\/innkeeper-js\/innkeeper\/))/.test(target)) return null;
  const ours = target.match(REPOSITORY_BLOB);
  if (/^https?:/.test(target) && !ours) return `link "${target}" is not a file on main`;
  const [path, anchor] = ours
    ? [ours[1] ?? '', ours[2]?.slice(1)]
    : (() => {
        const [p, a] = target.split('#', 2);
        return [p ? relative(ROOT, normalize(join(ROOT, dirname(from), p))) : from, a];
      })();
  if (path.startsWith('..')) return `link "${target}" leaves the repository`;
  if (!existsSync(join(ROOT, path))) return `link "${target}": ${path} does not exist`;
  if (anchor && path.endsWith('.md') && !statSync(join(ROOT, path)).isDirectory()) {
    if (!headingsOf(path).has(anchor)) return `link "${target}": ${path} has no heading #${anchor}`;
  }
  return null;
}

/** Every `something.md` named in `text` is a file of the repository. */
function checkNamedDocuments(file: string, text: string): void {
  for (const match of text.matchAll(/\b([A-Za-z][\w-]*\.md)\b/g)) {
    const name = match[1] ?? '';
    if (!markdownNames.has(name)) {
      const line = text.slice(0, match.index).split('\n').length;
      problems.push(`${file}:${line}: names ${name}, which is not in the repository`);
    }
  }
}

function headingsOf(path: string): Set<string> {
  const cached = headingCache.get(path);
  if (cached) return cached;
  const seen = new Map<string, number>();
  const slugs = new Set<string>();
  for (const line of withoutCodeBlocks(readFileSync(join(ROOT, path), 'utf8'))) {
    const heading = line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
    if (!heading) continue;
    const base = githubSlug(heading[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count === 0 ? base : `${base}-${count}`);
  }
  headingCache.set(path, slugs);
  return slugs;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function githubSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The file's lines with fenced code blocks blanked, so code is never read as links. */
function withoutCodeBlocks(text: string): string[] {
  let inFence = false;
  return text.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      return '';
    }
    return inFence ? '' : line;
  });
}
