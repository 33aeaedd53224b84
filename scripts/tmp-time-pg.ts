import { createPostgresStore } from '../packages/adapter-postgres/src/index.js';
import { createInnkeeper, createManualClock } from '../packages/core/src/index.js';
const store = createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', poolSize: 2 }, { schema: 'ik17' });
const inn = createInnkeeper({ store, clock: createManualClock('2031-01-01T00:00:00Z') });
const t = (xs: number[]) => { xs.sort((a, b) => a - b); return `p50 ${xs[Math.floor(xs.length / 2)]?.toFixed(2)} p99 ${xs[Math.floor(xs.length * 0.99)]?.toFixed(2)}`; };
const list: number[] = [], reads: number[] = [], search: number[] = [];
for (let i = 0; i < 200; i++) {
  const from = `2031-01-${String(10 + (i % 15)).padStart(2, '0')}`;
  const to = `2031-01-${String(13 + (i % 15)).padStart(2, '0')}`;
  let s = performance.now();
  const hotels = await store.listHotels({ cityKey: 'lisboa', active: true, limit: 1000 });
  list.push(performance.now() - s);
  s = performance.now();
  await store.readStays({ hotelIds: hotels.map((h) => h.id), from, to });
  reads.push(performance.now() - s);
  s = performance.now();
  await inn.searchHotels({ city: 'Lisboa', checkIn: from, checkOut: to, adults: 2 });
  search.push(performance.now() - s);
}
console.log('listHotels', t(list), 'readStays', t(reads), 'searchHotels', t(search));
await store.close();
