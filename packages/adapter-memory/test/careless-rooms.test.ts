import { checkRoomInterleavings } from '@innkeeper/conformance';
import { afterEach, expect, test, vi } from 'vitest';
import { createMemoryStore } from '../src/index.js';
import { MemoryRooms } from '../src/memory-rooms.js';

afterEach(() => {
  vi.restoreAllMocks();
});

// The room property is only worth having if it fails a store that gets rooms wrong.
test('the room interleavings property catches a store that skips the room-night check', async () => {
  vi.spyOn(MemoryRooms.prototype, 'refusal').mockReturnValue(null);
  await expect(checkRoomInterleavings(() => createMemoryStore(), 200, { seed: 1 })).rejects.toThrow(
    /held by .* and |indexed/,
  );
});

test('and one that keeps the check but skips whether the room is still usable', async () => {
  const refusal = MemoryRooms.prototype.refusal;
  vi.spyOn(MemoryRooms.prototype, 'refusal').mockImplementation(function (this: MemoryRooms, c, n) {
    const outcome = refusal.call(this, c, n);
    return outcome?.kind === 'room-unusable' ? null : outcome;
  });
  await expect(
    checkRoomInterleavings(() => createMemoryStore(), 300, { seed: 2 }),
  ).rejects.toThrow();
});
