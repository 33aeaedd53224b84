export {
  type ArchiveCrashOptions,
  type CrashedArchive,
  runArchiveCrashCases,
  type SeededArchive,
  seedArchiveCrash,
} from './archive-crash-cases.js';
export {
  ARCHIVE_CRASH_POINTS,
  type ArchiveCrashJob,
  type ArchiveCrashPoint,
  type ArchiveCrashReport,
  archiveUntilKilled,
} from './archive-crash-worker.js';
