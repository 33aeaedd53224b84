import { createMemoryStore } from '@innkeeper/adapter-memory';
import { addDays, createInnkeeper, createManualClock } from '@innkeeper/core';
import { chainHotel } from '../chain-places.js';
import { CHAIN_RATE_CARD, type ChainShape, hotelId } from '../chain-shape.js';
import { scanThroughPort } from './calendar-scan.js';
import { type LoadContext, yieldToEventLoop } from './load-context.js';
import type { LoadedStore } from './store-target.js';

/**
 * The memory store has no back door, and needs none: it is loaded through the public
 * API (createHotel, createRoomType, setInventory, setRates, setRateCard), one call per
 * hotel, room type and season, so a load also exercises the engine's validation.
 */
export async function loadMemoryStore(
  shape: ChainShape,
  context: LoadContext,
): Promise<LoadedStore> {
  const started = performance.now();
  const store = createMemoryStore();
  const clock = createManualClock(`${shape.start}T00:00:00Z`);
  const inn = createInnkeeper({ store, clock });
  const to = addDays(shape.start, shape.days - 1);
  for (let h = 0; h < shape.hotels; h++) {
    if (context.signal?.aborted) break;
    const id = hotelId(h);
    const { active: _, createdAt: __, updatedAt: ___, ...hotel } = chainHotel(shape, h, '');
    await inn.createHotel(hotel);
    for (const rt of shape.roomTypes) {
      await inn.createRoomType({
        hotelId: id,
        id: rt.id,
        name: rt.name,
        maxAdults: rt.maxAdults,
        baseRate: rt.baseRate,
      });
      await inn.setInventory({
        hotelId: id,
        roomTypeId: rt.id,
        from: shape.start,
        to,
        total: rt.rooms,
      });
      for (const season of shape.seasons) {
        await inn.setRates({
          hotelId: id,
          roomTypeId: rt.id,
          from: addDays(shape.start, season.fromDay),
          to: addDays(shape.start, season.toDay),
          amount: Math.floor((rt.baseRate * season.percent) / 100),
        });
      }
    }
    await inn.setRateCard({ hotelId: id, ...CHAIN_RATE_CARD });
    context.onRows(shape.roomTypes.length * shape.days);
    if (h % 50 === 49) await yieldToEventLoop();
  }
  // Each write above left an event in the change feed holding every row it wrote: 15M
  // rows at the seed's scale, 1.3 GB of the process's heap that every garbage collection
  // then works around. A deployment's retention job (`pruneEvents`) deletes events older
  // than a week; the load's are pruned the same way, so what is measured next runs on a
  // store holding its data, not a load's worth of events no consumer reads.
  clock.advance(8 * 24 * 60 * 60 * 1000);
  await inn.pruneEvents();
  return {
    kind: 'memory',
    where: 'memory',
    store,
    access: { kind: 'memory' },
    loadMs: performance.now() - started,
    settings: 'in process',
    loadPhases: [{ phase: 'public API', seconds: Math.round(performance.now() - started) / 1000 }],
    scanCalendar: (window) => scanThroughPort(store, shape, window),
    close: () => store.close(),
  };
}
