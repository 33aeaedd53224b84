export { type CrashedRun, type PaymentCrashOptions, runPaymentCrashCases } from './crash-cases.js';
export {
  bookUntilKilled,
  CRASH_GRACE_SECONDS,
  type CrashPoint,
  type CrashReport,
  type CrashWorkerJob,
  crashEngine,
} from './crash-worker.js';
export { forkCrashWorker, killCrashWorkers, type WorkerDeath } from './fork-worker.js';
