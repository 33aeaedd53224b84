/**
 * `pnpm check:snippets`: every TypeScript snippet in the README, `docs/` and the package
 * READMEs is type-checked as a user would compile it (strict, `nodenext` resolution,
 * against the built packages), and the complete programs among them are run.
 *
 * How snippets become programs (documented in docs/testing.md):
 * - each ```ts block belongs to one program; a block whose first line is an `import`
 *   starts a new program, any other block continues the previous program of its file
 *   (docs walk through one example in several blocks);
 * - an HTML comment right before a block, invisible where the Markdown is rendered,
 *   starts a new program and can give it a prelude — the declarations the prose assumes:
 *       <!-- check-snippet
 *       import type { Innkeeper } from '@innkeeper/core';
 *       declare const inn: Innkeeper;
 *       -->
 *   `<!-- check-snippet no-run: <why> -->` type-checks a program without running it;
 * - a program without a prelude is complete, and is run (with `tsx`, or with Vitest when
 *   it imports `vitest`); DATABASE_URL and REDIS_URL are passed through;
 * - a snippet that shows a store author's own test file imports the store from
 *   `../src/index.js`; that module exists here as a stub exporting `createMyStore` (the
 *   memory store), so those snippets type-check as they are written.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './packed-packages.ts';

interface SourceLine {
  file: string;
  line: number;
}

interface Program {
  name: string;
  code: string[];
  /** Where each line of `code` came from (`null`: the prelude or our own lines). */
  origin: (SourceLine | null)[];
  hasPrelude: boolean;
  noRun: string | null;
}

const OUT = join(ROOT, '.snippets');
/** The programs; `../src/index.js` from here is the stub store author's module. */
const PROGRAMS = join(OUT, 'programs');
const failures: string[] = [];
const RUN_TIMEOUT_MS = 120_000;

const markdownFiles = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(ROOT, 'packages')).map((dir) => `packages/${dir}/README.md`),
];

const programs = markdownFiles.flatMap((file) => extractPrograms(file));
rmSync(OUT, { recursive: true, force: true });
mkdirSync(PROGRAMS, { recursive: true });
mkdirSync(join(OUT, 'src'));
writeFileSync(
  join(OUT, 'src', 'index.ts'),
  "export { createMemoryStore as createMyStore } from '@innkeeper/adapter-memory';\n",
);
writeFileSync(join(OUT, 'package.json'), '{ "type": "module", "private": true }\n');
writeFileSync(
  join(OUT, 'tsconfig.json'),
  JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        skipLibCheck: true,
        noEmit: true,
      },
      include: ['programs/*.ts', 'src/*.ts'],
    },
    null,
    2,
  ),
);
writeFileSync(
  join(OUT, 'vitest.config.mjs'),
  "export default { test: { include: ['programs/*.test.ts'] } };\n",
);

const fileOf = (program: Program) =>
  `${program.name}${program.code.some((l) => /from 'vitest'/.test(l)) ? '.test' : ''}.ts`;
for (const program of programs) {
  // `export {}` makes every program a module, so two programs never share a scope.
  writeFileSync(join(PROGRAMS, fileOf(program)), `${program.code.join('\n')}\nexport {};\n`);
}
console.log(`${programs.length} programs from ${markdownFiles.length} Markdown files`);

typeCheck();
// A program that does not compile is not worth running: its type errors say more.
if (failures.length === 0) runCompletePrograms();

if (failures.length > 0) {
  console.error(`\n${failures.length} snippet problem(s):`);
  for (const failure of failures) console.error(`- ${failure}`);
  process.exit(1);
}
rmSync(OUT, { recursive: true, force: true });
console.log('Every snippet type-checks, and every complete program ran.');

function extractPrograms(file: string): Program[] {
  let text: string;
  try {
    text = readFileSync(join(ROOT, file), 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  const slug = file.replace(/\.md$/, '').replace(/[^a-z0-9]+/gi, '-');
  const result: Program[] = [];
  let pending: { prelude: string[]; noRun: string | null } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const directive = line.match(/^<!--\s*check-snippet\b(.*)$/);
    if (directive) {
      const rest = directive[1] ?? '';
      const noRun = rest.match(/no-run:\s*(.*?)\s*(-->)?\s*$/);
      const prelude: string[] = [];
      if (!rest.includes('-->')) {
        while (i + 1 < lines.length && !(lines[i + 1] ?? '').includes('-->')) {
          prelude.push(lines[++i] ?? '');
        }
        i++; // the closing `-->`
      }
      pending = { prelude, noRun: noRun?.[1] ?? null };
      continue;
    }
    if (!/^```ts\s*$/.test(line)) {
      if (line.trim() !== '' && pending && !line.startsWith('<!--')) pending = null;
      continue;
    }
    const start = i + 1;
    const block: string[] = [];
    while (i + 1 < lines.length && !/^```\s*$/.test(lines[i + 1] ?? ''))
      block.push(lines[++i] ?? '');
    i++; // the closing fence
    const origin = block.map((_, k) => ({ file, line: start + k + 1 }));
    const firstCode = block.find((l) => l.trim() !== '' && !l.trim().startsWith('//')) ?? '';
    const current = result.at(-1);
    if (pending || /^import\b/.test(firstCode) || !current) {
      if (!pending && !/^import\b/.test(firstCode)) {
        failures.push(
          `${file}:${start}: a snippet that continues no program (add a check-snippet prelude)`,
        );
      }
      result.push({
        name: `${slug}-${result.length + 1}`,
        code: [...(pending?.prelude ?? []), ...block],
        origin: [...(pending?.prelude ?? []).map(() => null), ...origin],
        hasPrelude: (pending?.prelude.length ?? 0) > 0,
        noRun: pending?.noRun ?? null,
      });
    } else {
      current.code.push(...block);
      current.origin.push(...origin);
    }
    pending = null;
  }
  return result;
}

function typeCheck(): void {
  const tsc = spawnSync('pnpm', ['exec', 'tsc', '-p', OUT, '--pretty', 'false'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (tsc.status === 0) return;
  const byFile = new Map(programs.map((p) => [fileOf(p), p]));
  for (const message of tsc.stdout.split('\n').filter((l) => l.trim() !== '')) {
    const located = message.match(/^(?:\.snippets\/)?(?:programs\/)?([^(]+)\((\d+),(\d+)\): (.*)$/);
    const program = located ? byFile.get(located[1] ?? '') : undefined;
    if (!located || !program) {
      failures.push(message);
      continue;
    }
    const source = program.origin[Number(located[2]) - 1];
    const where = source ? `${source.file}:${source.line}` : `${program.name} (prelude)`;
    failures.push(`${where}: ${located[4]}`);
  }
}

function runCompletePrograms(): void {
  for (const program of programs) {
    if (program.hasPrelude || program.noRun !== null) continue;
    const file = fileOf(program);
    const first = program.origin.find((o) => o !== null);
    const where = first ? `${first.file}:${first.line}` : program.name;
    const command = file.endsWith('.test.ts')
      ? ['exec', 'vitest', 'run', '--root', OUT, `programs/${file}`]
      : ['exec', 'tsx', join(PROGRAMS, file)];
    const started = Date.now();
    const run = spawnSync('pnpm', command, {
      cwd: OUT,
      encoding: 'utf8',
      timeout: RUN_TIMEOUT_MS,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (run.status === 0) {
      console.log(`ran ${where} (${seconds} s)`);
    } else {
      const output = `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-8).join('\n    ');
      failures.push(
        `${where}: the program failed (${run.signal ?? `exit ${run.status}`}):\n    ${output}`,
      );
    }
  }
}
