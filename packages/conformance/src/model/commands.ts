import fc from 'fast-check';

/**
 * The workload the concurrency groups throw at a store, as plain data so fast-check can
 * generate, shrink and print it. Dates are day offsets from the fixture's TODAY and
 * confined to a few nights, so calls keep colliding on the same calendar rows.
 *
 * `dorm` is left out on purpose: at cap 20 with 1–4 rooms per call it never runs short,
 * so it would only dilute the contention on `std` (cap 11) and `suite` (cap 1).
 */
export interface LineSpec {
  roomTypeId: 'std' | 'suite';
  rooms: number;
}

/** Nights `[checkIn, checkOut)` as offsets from TODAY. */
export interface StaySpec {
  checkIn: number;
  checkOut: number;
  lines: LineSpec[];
}

export type Command =
  /** `twice`: an identical request (same key) arrives while the first is in flight. */
  | { kind: 'book'; key: string; stay: StaySpec; twice: boolean }
  | { kind: 'hold'; key: string; stay: StaySpec; ttlSeconds: number; twice: boolean }
  /** `target` picks a known reservation by index when the call arrives, not when generated. */
  | { kind: 'confirm'; target: number }
  /** `twice`: a second cancel of the same reservation arrives while the first is in flight. */
  | { kind: 'cancel'; target: number; twice: boolean }
  | { kind: 'modify'; target: number; stay: StaySpec; expectedVersion?: number }
  | { kind: 'expireHolds' }
  /** Moves the shared clock so holds run out and, after a day, check-ins fall in the past. */
  | { kind: 'advanceClock'; ms: number };

export type SeedCommand = { kind: 'book' | 'hold'; stay: StaySpec; ttlSeconds: number };

/** Last night offset + 1: stays fall within nights day(1)..day(5), check-out at most day(6). */
const LAST_CHECK_OUT = 6;

/**
 * Each pooled key has one usual request, used half of the time, so the same key arrives
 * with the same request (a replay) about as often as with a different one (a reuse).
 */
const USUAL_STAYS: StaySpec[] = [
  { checkIn: 1, checkOut: 3, lines: [{ roomTypeId: 'std', rooms: 2 }] },
  {
    checkIn: 2,
    checkOut: 4,
    lines: [
      { roomTypeId: 'std', rooms: 1 },
      { roomTypeId: 'suite', rooms: 1 },
    ],
  },
  { checkIn: 3, checkOut: 4, lines: [{ roomTypeId: 'suite', rooms: 1 }] },
  { checkIn: 1, checkOut: 6, lines: [{ roomTypeId: 'std', rooms: 3 }] },
];

function stayArb(maxStdRooms: number): fc.Arbitrary<StaySpec> {
  const std = fc.integer({ min: 1, max: maxStdRooms });
  // Multi-line stays (std + suite) are what make all-or-nothing observable.
  const lines = fc.oneof(
    std.map((rooms): LineSpec[] => [{ roomTypeId: 'std', rooms }]),
    fc.constant<LineSpec[]>([{ roomTypeId: 'suite', rooms: 1 }]),
    std.map((rooms): LineSpec[] => [
      { roomTypeId: 'std', rooms },
      { roomTypeId: 'suite', rooms: 1 },
    ]),
  );
  const nights = fc
    .uniqueArray(fc.integer({ min: 1, max: LAST_CHECK_OUT }), { minLength: 2, maxLength: 2 })
    .map(([a = 1, b = 2]) => [Math.min(a, b), Math.max(a, b)] as const);
  return fc
    .tuple(nights, lines)
    .map(([[checkIn, checkOut], lines]) => ({ checkIn, checkOut, lines }));
}

const ttlArb = fc.constantFrom(60, 900, 3600);

/** A few sequential bookings and holds first, so cancel/modify/confirm have targets. */
export function seedArb(): fc.Arbitrary<SeedCommand[]> {
  const seed = fc.record({
    kind: fc.constantFrom('book' as const, 'hold' as const),
    stay: stayArb(6),
    ttlSeconds: ttlArb,
  });
  return fc.array(seed, { minLength: 1, maxLength: 4 });
}

export interface CommandOptions {
  /** Size of the idempotency key pool: small pools force replays and reuse. */
  keys: number;
  /** Largest target index; targets wrap around the known reservations. */
  targets: number;
}

/** One concurrent command. */
export function commandArb({ keys, targets }: CommandOptions): fc.Arbitrary<Command> {
  const key = fc.nat({ max: keys - 1 });
  const request = fc.tuple(key, fc.option(stayArb(4), { nil: undefined, freq: 2 }), fc.boolean());
  const keyed = ([index, stay, twice]: [number, StaySpec | undefined, boolean]) => ({
    key: `k${index}`,
    stay: stay ?? (USUAL_STAYS[index % USUAL_STAYS.length] as StaySpec),
    twice,
  });
  const target = fc.nat({ max: targets });
  // Mostly unconditional modifications; a quarter pin a version, so CONFLICT happens too.
  const expectedVersion = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) },
  );
  return fc.oneof(
    { weight: 4, arbitrary: request.map((r): Command => ({ kind: 'book', ...keyed(r) })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(request, ttlArb)
        .map(([r, ttlSeconds]): Command => ({ kind: 'hold', ...keyed(r), ttlSeconds })),
    },
    { weight: 1, arbitrary: target.map((t): Command => ({ kind: 'confirm', target: t })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(target, fc.boolean())
        .map(([t, twice]): Command => ({ kind: 'cancel', target: t, twice })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(target, stayArb(4), expectedVersion).map(
        ([t, stay, version]): Command => ({
          kind: 'modify',
          target: t,
          stay,
          ...(version === undefined ? {} : { expectedVersion: version }),
        }),
      ),
    },
    { weight: 2, arbitrary: fc.constant<Command>({ kind: 'expireHolds' }) },
    {
      weight: 2,
      // 12 h from noon UTC crosses midnight in Paris, 36 h puts day(1) in the past: holds
      // run out, and stays starting "yesterday" must be refused with VALIDATION.
      arbitrary: fc
        .constantFrom(30_000, 300_000, 3_600_000, 43_200_000, 129_600_000)
        .map((ms): Command => ({ kind: 'advanceClock', ms })),
    },
  );
}

export function describeStay(stay: StaySpec): string {
  const lines = stay.lines.map((l) => `${l.roomTypeId}x${l.rooms}`).join('+');
  return `${lines} d${stay.checkIn}-d${stay.checkOut}`;
}

/** One short line per command, used as the scheduler's task labels. */
export function describeCommand(command: Command): string {
  switch (command.kind) {
    case 'book':
      return `book ${command.key} ${describeStay(command.stay)}${command.twice ? ' (twice)' : ''}`;
    case 'hold':
      return `hold ${command.key} ${describeStay(command.stay)} ttl=${command.ttlSeconds}s${command.twice ? ' (twice)' : ''}`;
    case 'modify':
      return `modify #${command.target} -> ${describeStay(command.stay)}${
        command.expectedVersion === undefined ? '' : ` @v${command.expectedVersion}`
      }`;
    case 'cancel':
      return `cancel #${command.target}${command.twice ? ' (twice)' : ''}`;
    case 'confirm':
      return `confirm #${command.target}`;
    case 'expireHolds':
      return 'expireHolds';
    case 'advanceClock':
      return `advanceClock +${command.ms / 1000}s`;
  }
}
