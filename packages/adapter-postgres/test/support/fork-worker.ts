import { type ChildProcess, fork } from 'node:child_process';

/** How a worker process ended, what it sent over IPC, and what it wrote to stderr. */
export interface WorkerExit<Message> {
  code: number | null;
  signal: NodeJS.Signals | null;
  messages: Message[];
  stderr: string;
}

const children = new Set<ChildProcess>();

/** Kills any worker still running (call it from `afterAll`). */
export function killWorkers(): void {
  for (const child of children) child.kill('SIGKILL');
}

/**
 * Forks `path` (TypeScript, through tsx with the `dev-source` condition) with `job` as
 * JSON in argv, and waits until it is gone. A worker still running after `timeoutMs`
 * is killed and reported with signal SIGKILL.
 */
export function forkWorker<Message>(
  path: string,
  job: unknown,
  timeoutMs = 20_000,
): Promise<WorkerExit<Message>> {
  return new Promise((resolve, reject) => {
    const child = fork(path, [JSON.stringify(job)], {
      execArgv: ['--import', 'tsx', '--conditions=dev-source'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    children.add(child);
    const messages: Message[] = [];
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('message', (message: Message) => messages.push(message));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    // 'close', not 'exit': by then stderr and the IPC channel are drained.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, messages, stderr });
    });
  });
}
