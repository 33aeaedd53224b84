// Global setup of the sqlite campaign. Stryker creates its sandbox with mkdtemp, readable by
// its owner only, but one sqlite-faults test runs a child process as another user ("nobody",
// when the tests run as root, since root ignores file permissions) and that child must read
// the code. Lets others read and enter the sandbox's top folder (nothing becomes writable).
import { chmodSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  if (basename(root).startsWith('sandbox-')) chmodSync(root, 0o755);
}
