import { type ChildProcess, fork } from 'node:child_process';
import type { CrashReport } from './crash-worker.js';

/** How a worker ended, and what it said before. */
export interface WorkerDeath {
  code: number | null;
  signal: NodeJS.Signals | null;
  reports: CrashReport[];
}

const children = new Set<ChildProcess>();

/** Kills any worker still running (call it from `afterAll`). */
export function killCrashWorkers(): void {
  for (const child of children) child.kill('SIGKILL');
}

/**
 * Forks `workerPath` with `job` as JSON in argv (through tsx with the `dev-source`
 * condition unless `execArgv` says otherwise) and waits until it is gone.
 */
export function forkCrashWorker(
  workerPath: string,
  job: unknown,
  execArgv: string[] = ['--import', 'tsx', '--conditions=dev-source'],
): Promise<WorkerDeath> {
  return new Promise((resolve, reject) => {
    const child = fork(workerPath, [JSON.stringify(job)], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    const reports: CrashReport[] = [];
    child.on('message', (report: CrashReport) => reports.push(report));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('crash worker still running after 15 s'));
    }, 15_000);
    child.on('error', reject);
    // 'close', not 'exit': by then the IPC channel is drained, so no report is missed.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, reports });
    });
  });
}
