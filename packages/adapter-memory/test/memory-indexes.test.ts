import { describe, expect, test } from 'vitest';
import { addTo, HotelIndex, idCount, removeFrom } from '../src/memory-indexes.js';

describe('HotelIndex', () => {
  test('keys by hotel, then key: the same key under two hotels is two entries', () => {
    const index = new HotelIndex<string>();
    index.set('h1', 'k', 'r1');
    index.set('h2', 'k', 'r2');
    expect(index.get('h1', 'k')).toBe('r1');
    expect(index.get('h2', 'k')).toBe('r2');
    expect(index.get('h3', 'k')).toBeUndefined();
    index.set('h1', 'k', 'r3');
    expect([...index.values()].sort()).toEqual(['r2', 'r3']);
  });

  test('keys that would run into each other as one string stay apart', () => {
    const index = new HotelIndex<string>();
    index.set('a\u0000b', 'c', 'first');
    index.set('a', 'b\u0000c', 'second');
    expect(index.get('a\u0000b', 'c')).toBe('first');
    expect(index.get('a', 'b\u0000c')).toBe('second');
  });

  test('deleting the last entry of a hotel leaves nothing behind', () => {
    const index = new HotelIndex<string>();
    index.set('h1', 'a', 'r1');
    index.set('h1', 'b', 'r2');
    index.delete('h1', 'a');
    index.delete('h9', 'a');
    expect([...index.values()]).toEqual(['r2']);
    expect(index.hotelCount).toBe(1);
    index.delete('h1', 'b');
    expect([...index.values()]).toEqual([]);
    expect(index.get('h1', 'b')).toBeUndefined();
    expect(index.hotelCount).toBe(0);
  });
});

describe('id sets by key', () => {
  test('list each id once per key, and forget emptied sets', () => {
    const arrivals = new Map<string, Set<string>>();
    addTo(arrivals, '2027-01-01', 'r1');
    addTo(arrivals, '2027-01-01', 'r2');
    addTo(arrivals, '2027-01-01', 'r1');
    addTo(arrivals, '2027-01-02', 'r3');
    expect([...(arrivals.get('2027-01-01') ?? [])]).toEqual(['r1', 'r2']);
    expect(idCount(arrivals)).toBe(3);
    removeFrom(arrivals, '2027-01-01', 'r1');
    removeFrom(arrivals, '2027-01-01', 'r9');
    removeFrom(arrivals, '2027-01-05', 'r1');
    expect([...(arrivals.get('2027-01-01') ?? [])]).toEqual(['r2']);
    removeFrom(arrivals, '2027-01-01', 'r2');
    expect(arrivals.has('2027-01-01')).toBe(false);
    expect(idCount(arrivals)).toBe(1);
  });
});
