import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './cli-error.js';
import { STORE_KINDS, type StoreKind } from './stores/store-target.js';

/**
 * `node:util` parseArgs in strict mode, with its errors (unknown flag, missing value)
 * turned into one-line usage errors instead of Node's multi-line ones.
 */
type FlagSpec = NonNullable<ParseArgsConfig['options']>;
/** Spelled through `typeof parseArgs` because @types/node does not export `ParsedResults`. */
type ParsedFlags<O extends FlagSpec> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>
>;

export function parseFlags<O extends FlagSpec>(
  command: string,
  args: string[],
  options: O,
): ParsedFlags<O> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${command}: ${message}`);
  }
}

export function storeKindOf(value: string | undefined, fallback: StoreKind): StoreKind {
  if (value === undefined) return fallback;
  if ((STORE_KINDS as readonly string[]).includes(value)) return value as StoreKind;
  throw new UsageError(`--store must be one of ${STORE_KINDS.join(', ')}, got "${value}"`);
}

/** A whole number in [min, max] from a flag, or the fallback when the flag is absent. */
export function intFlag(
  name: string,
  value: string | undefined,
  fallback: number | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** The Postgres URL: `--url`, else DATABASE_URL; a usage error when neither is set. */
export function postgresUrl(flag: string | undefined): string {
  const url = flag ?? process.env.DATABASE_URL;
  if (!url) throw new UsageError('--store postgres needs --url or DATABASE_URL');
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new UsageError(`--url must be a postgres:// URL, got "${url}"`);
  }
  return url;
}
