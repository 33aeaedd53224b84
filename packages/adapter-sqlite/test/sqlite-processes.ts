import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerJob, WorkerReport } from './workers/sqlite-worker.js';

const WORKER = fileURLToPath(new URL('./workers/sqlite-worker.ts', import.meta.url));

type ReportOf<K extends WorkerReport['kind']> = Extract<WorkerReport, { kind: K }>;

interface Waiter {
  kind: WorkerReport['kind'];
  resolve: (report: WorkerReport) => void;
  reject: (error: Error) => void;
}

/**
 * One child process running `workers/sqlite-worker.ts` through tsx, with its own
 * connection to the database file. Reports arrive over IPC; `next(kind)` waits for one.
 */
export class WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly queue: WorkerReport[] = [];
  private waiters: Waiter[] = [];
  private failure: Error | undefined;

  private static readonly running = new Set<WorkerProcess>();

  /** Kills every worker still running (for `afterAll`, so a failed test leaves none behind). */
  static async killAll(): Promise<void> {
    await Promise.all([...WorkerProcess.running].map((w) => w.kill()));
  }

  private constructor(user?: { uid: number; gid: number; home: string }) {
    WorkerProcess.running.add(this);
    this.child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx', '--conditions=dev-source'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      ...(user ? { uid: user.uid, gid: user.gid, env: { ...process.env, HOME: user.home } } : {}),
    });
    this.child.on('message', (report: WorkerReport) => this.receive(report));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        WorkerProcess.running.delete(this);
        this.fail(new Error(`worker exited (code ${code}, signal ${signal})`));
        resolve({ code, signal });
      });
    });
  }

  /**
   * Starts a worker and waits until it has loaded everything and is ready for a job.
   * With `user`, the worker runs as that user (the parent must be root), e.g. to meet file
   * permissions that root itself ignores.
   */
  static async start(user?: { uid: number; gid: number; home: string }): Promise<WorkerProcess> {
    const worker = new WorkerProcess(user);
    await worker.next('ready');
    return worker;
  }

  /** Forgets the reports received so far, so `next` waits for a new one. */
  discardReports(): void {
    this.queue.length = 0;
  }

  send(job: WorkerJob): void {
    this.child.send(job);
  }

  next<K extends WorkerReport['kind']>(kind: K, timeoutMs = 60_000): Promise<ReportOf<K>> {
    const index = this.queue.findIndex((r) => r.kind === kind);
    if (index >= 0) return Promise.resolve(this.queue.splice(index, 1)[0] as ReportOf<K>);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${kind}" report within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        kind,
        resolve: (report) => {
          clearTimeout(timer);
          resolve(report as ReportOf<K>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** SIGKILL: no exit handlers, no rollback, no close; exactly like a crash. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private receive(report: WorkerReport): void {
    if (report.kind === 'failed') {
      this.fail(new Error(`worker failed: ${report.message}`));
      return;
    }
    const waiter = this.waiters.find((w) => w.kind === report.kind);
    if (!waiter) {
      this.queue.push(report);
      return;
    }
    this.waiters = this.waiters.filter((w) => w !== waiter);
    waiter.resolve(report);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiters) waiter.reject(this.failure);
    this.waiters = [];
  }
}
