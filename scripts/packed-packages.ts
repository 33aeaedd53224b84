/**
 * The workspace's packages as the registry would receive them: each packed with
 * `pnpm pack`, which does what `pnpm publish` does to the manifest (`workspace:` ranges
 * become real ones, `publishConfig` fields such as the published `exports` replace the
 * workspace's own). Shared by `check-packages.ts` and `consumer-install.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

export interface PackedPackage {
  /** Folder under `packages/`, e.g. `adapter-sqlite`. */
  dir: string;
  name: string;
  version: string;
  /** Absolute path of the `.tgz`. */
  tarball: string;
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
}

export function workspacePackages(): { dir: string; manifest: Manifest }[] {
  return readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({
      dir: entry.name,
      manifest: JSON.parse(
        readFileSync(join(ROOT, 'packages', entry.name, 'package.json'), 'utf8'),
      ) as Manifest,
    }))
    .filter(({ manifest }) => !manifest.private);
}

/** Packs every public package into `destination` (run `pnpm build` first). */
export function packAll(destination: string): PackedPackage[] {
  mkdirSync(destination, { recursive: true });
  return workspacePackages().map(({ dir, manifest }) => {
    const output = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
      cwd: join(ROOT, 'packages', dir),
      encoding: 'utf8',
    });
    // pnpm prints the contents, then the tarball's path on the last line.
    const tarball = output.trim().split('\n').at(-1)?.trim() ?? '';
    if (!tarball.endsWith('.tgz'))
      throw new Error(`pnpm pack in packages/${dir} printed no tarball`);
    return { dir, name: manifest.name, version: manifest.version, tarball };
  });
}
