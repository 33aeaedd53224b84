import { z } from 'zod';

/**
 * Free text a person typed (names, reasons, keys). Control characters are refused:
 * they are never meant, they break logs, and databases such as Postgres reject NUL
 * outright, which would otherwise surface as a storage failure instead of bad input.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function textSchema(options: { min?: number; max: number; trim?: boolean }) {
  const base = options.trim === false ? z.string() : z.string().trim();
  return base
    .min(options.min ?? 0)
    .max(options.max)
    .refine((value) => !CONTROL_CHARACTERS.test(value), {
      message: 'Control characters are not allowed',
    });
}
