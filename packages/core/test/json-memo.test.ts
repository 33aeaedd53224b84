import { describe, expect, test } from 'vitest';
import { JsonMemo } from '../src/port/json-memo.js';

describe('JsonMemo', () => {
  test('the same text of a hotel gives the same frozen value; another text, or hotel, a new one', () => {
    let parses = 0;
    const memo = new JsonMemo((text, hotelId) => {
      parses++;
      return { hotelId, ...(JSON.parse(text) as { name: string }) };
    });
    const first = memo.get('h1', '{"name":"Alfama"}');
    expect(first).toEqual({ hotelId: 'h1', name: 'Alfama' });
    expect(Object.isFrozen(first)).toBe(true);
    expect(memo.get('h1', '{"name":"Alfama"}')).toBe(first);
    expect(parses).toBe(1);
    // The hotel renamed: its text changed, so it is parsed again and replaces the old one.
    expect(memo.get('h1', '{"name":"Baixa"}')).toEqual({ hotelId: 'h1', name: 'Baixa' });
    expect(memo.get('h2', '{"name":"Baixa"}')).toEqual({ hotelId: 'h2', name: 'Baixa' });
    expect(memo.get('h1', '{"name":"Alfama"}')).not.toBe(first);
    expect(parses).toBe(4);
  });
});
