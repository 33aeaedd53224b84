import { describe, expect, test } from 'vitest';
import { RememberedAnswers } from '../src/calendar/remembered-answers.js';

describe('RememberedAnswers', () => {
  test('an answer is found under its three parts, and under no other key', () => {
    const answers = new RememberedAnswers(10);
    expect(answers.keep('Europe/Paris', '15:00', '2027-07-10', 'a')).toBe('a');
    expect(answers.get('Europe/Paris', '15:00', '2027-07-10')).toBe('a');
    // Keys that share parts, or whose parts joined would read the same, are other keys.
    expect(answers.get('Europe/Paris', '15:00', '2027-07-11')).toBeUndefined();
    expect(answers.get('Europe/Paris', '14:00', '2027-07-10')).toBeUndefined();
    expect(answers.get('Europe/London', '15:00', '2027-07-10')).toBeUndefined();
    expect(answers.get('Europe/Paris15:00', '', '2027-07-10')).toBeUndefined();
    expect(answers.get(24, '', 'x')).toBeUndefined();
    expect(answers.keep(24, '', 'x', 'b')).toBe('b');
    expect(answers.get('24', '', 'x')).toBeUndefined();
    expect(answers.get(24, '', 'x')).toBe('b');
  });

  test('counts answers, not keeps: the same key kept again replaces its answer', () => {
    const answers = new RememberedAnswers(10);
    answers.keep(1, '', 'x', 'a');
    answers.keep(1, '', 'x', 'b');
    expect(answers.size).toBe(1);
    expect(answers.get(1, '', 'x')).toBe('b');
    // A lookup that misses keeps nothing.
    expect(answers.get(2, 'y', 'z')).toBeUndefined();
    expect(answers.size).toBe(1);
  });

  test('once full, everything is forgotten before the next answer is kept', () => {
    const answers = new RememberedAnswers(3);
    answers.keep('z', 't', 'd1', 'a1');
    answers.keep('z', 't', 'd2', 'a2');
    answers.keep('z', 'u', 'd3', 'a3');
    expect(answers.size).toBe(3);
    expect(answers.get('z', 't', 'd1')).toBe('a1');
    expect(answers.keep('y', 't', 'd4', 'a4')).toBe('a4');
    expect(answers.size).toBe(1);
    expect(answers.get('z', 't', 'd1')).toBeUndefined();
    expect(answers.get('z', 'u', 'd3')).toBeUndefined();
    expect(answers.get('y', 't', 'd4')).toBe('a4');
  });
});
