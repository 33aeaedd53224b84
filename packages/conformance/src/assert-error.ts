import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { type ErrorCode, type InnkeeperError, isInnkeeperError } from '@innkeeper/core';

/**
 * Awaits `promise` and asserts it rejects with an `InnkeeperError` of `code`. Returns the
 * error so a test can go on to check its `details`.
 */
export async function rejectsWithCode<C extends ErrorCode>(
  promise: Promise<unknown>,
  code: C,
): Promise<InnkeeperError<C>> {
  let settled: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    settled = { ok: true, value: await promise };
  } catch (error) {
    settled = { ok: false, error };
  }
  if (settled.ok) {
    assert.fail(`Expected a ${code} error, but the call resolved with ${show(settled.value)}`);
  }
  const { error } = settled;
  if (!isInnkeeperError(error, code)) {
    const got = isInnkeeperError(error) ? `${error.code} (${error.message})` : show(error);
    assert.fail(`Expected a ${code} error, got ${got}`);
  }
  return error;
}

/**
 * Awaits `promise`, asserts it is a `VALIDATION` error with an issue at exactly `path`
 * (e.g. `['lines', 0, 'adults']`), and returns the error.
 */
export async function rejectsWithIssue(
  promise: Promise<unknown>,
  path: (string | number)[],
): Promise<InnkeeperError<'VALIDATION'>> {
  const error = await rejectsWithCode(promise, 'VALIDATION');
  const paths = error.details.issues.map((issue) => issue.path);
  assert.ok(
    paths.some((p) => isDeepStrictEqual(p, path)),
    `Expected a VALIDATION issue at ${JSON.stringify(path)}, got ${JSON.stringify(paths)}`,
  );
  return error;
}

function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
