import type { InnkeeperStore } from '@innkeeper/core';
import { type CallContext, checkCalls } from './call-checks.js';
import type { CallRecord } from './command-runner.js';
import { checkInvariants } from './invariants.js';
import type { MoveRules } from './move-timing.js';
import type { ReservationLog } from './reservation-log.js';
import { SequentialModel, sameRow, showRow } from './sequential-model.js';
import { readStoreState, type StoreState } from './store-state.js';

/** What a run leaves behind for the verdict. */
export interface RunEvidence {
  /** The store itself, not the wrapped one the engine used: read directly through the port. */
  store: InnkeeperStore;
  log: ReservationLog;
  calls: CallRecord[];
  /** The feed's last seq before the concurrent phase; nights are tracked from there on. */
  baseSeq: number;
  today: CallContext['today'];
  /** The engine charged through a gateway (payment failures are legitimate answers). */
  paid?: boolean;
  /** The time zone and undo window the state table's timing rules are judged by. */
  rules?: MoveRules;
}

/**
 * Every check of a run, in one list of problems (empty when the store behaved): the
 * invariants on the persisted state, the serial replay of the change feed, the replay's
 * end state against the store's, and each call's answer against that history.
 */
export async function verifyRun(run: RunEvidence): Promise<string[]> {
  const state = await readStoreState(run.store);
  const model = new SequentialModel(run.log, run.rules);
  let tracking = false;
  for (const event of state.events) {
    if (!tracking && event.seq > run.baseSeq) {
      model.startTracking();
      tracking = true;
    }
    model.apply(event);
  }
  if (!tracking) model.startTracking();
  return [
    ...checkInvariants(state),
    ...run.log.problems,
    ...model.problems,
    ...compareEndStates(model, state),
    ...checkCalls(run.calls, {
      today: run.today,
      nights: model.nights,
      ...(run.paid ? { paid: true } : {}),
    }),
  ];
}

/** The replayed history must end where the store is: same rows, same reservations. */
function compareEndStates(model: SequentialModel, state: StoreState): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of state.rows) {
    const key = `${row.roomTypeId}@${row.date}`;
    seen.add(key);
    const replayed = model.rows.get(key);
    if (!replayed || !sameRow(row, replayed)) {
      problems.push(
        `store has ${key} as ${showRow(row)}, the feed replays to ${replayed ? showRow(replayed) : 'no row'}`,
      );
    }
  }
  for (const key of model.rows.keys()) {
    if (!seen.has(key)) problems.push(`the feed has a row ${key} the store does not`);
  }
  const stored = new Set<string>();
  for (const r of state.reservations) {
    stored.add(r.id);
    const replayed = model.reservations.get(r.id);
    const lines = r.lines.map((l) => ({
      roomTypeId: l.roomTypeId,
      rooms: l.rooms,
      nights: l.nights.map((n) => n.date),
    }));
    if (!replayed) problems.push(`${r.id} is stored but never appeared in the feed`);
    else if (
      replayed.status !== r.status ||
      replayed.version !== r.version ||
      JSON.stringify(replayed.lines) !== JSON.stringify(lines)
    ) {
      problems.push(
        `${r.id} is stored as ${r.status} v${r.version}, the feed replays to ${replayed.status} v${replayed.version}${
          JSON.stringify(replayed.lines) === JSON.stringify(lines) ? '' : ' with other lines'
        }`,
      );
    }
  }
  for (const id of model.reservations.keys()) {
    if (!stored.has(id)) problems.push(`${id} is in the feed but not stored`);
  }
  return problems;
}

/** A readable failure message: the first problems, and how many more there were. */
export function formatProblems(problems: string[], limit = 25): string {
  const shown = problems.slice(0, limit).map((p) => `  - ${p}`);
  if (problems.length > limit) shown.push(`  … and ${problems.length - limit} more`);
  return shown.join('\n');
}
