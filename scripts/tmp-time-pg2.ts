import pg from 'pg';
const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', max: 1 });
const t = (xs: number[]) => { xs.sort((a, b) => a - b); return `p50 ${xs[Math.floor(xs.length / 2)]?.toFixed(2)} p99 ${xs[Math.floor(xs.length * 0.99)]?.toFixed(2)}`; };
const a: number[] = [], b: number[] = [], c: number[] = [];
for (let i = 0; i < 200; i++) {
  let s = performance.now();
  const r = await pool.query({ name: 'x1', text: `SELECT ik17.hotel_json(h)::text AS json FROM ik17.hotels h WHERE h.city_key = $1 ORDER BY h.hotel_id LIMIT 1000`, values: ['lisboa'] });
  a.push(performance.now() - s);
  s = performance.now();
  r.rows.map((x) => JSON.parse(x.json));
  b.push(performance.now() - s);
  s = performance.now();
  await pool.query({ name: 'x2', text: `SELECT 1` });
  c.push(performance.now() - s);
}
console.log('query', t(a), 'parse', t(b), 'select1', t(c));
await pool.end();
