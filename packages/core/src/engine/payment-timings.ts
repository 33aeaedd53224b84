import { z } from 'zod';
import { parse } from './engine-context.js';
import type { InnkeeperOptions } from './innkeeper-options.js';

const paymentTimingsSchema = z
  .object({
    paymentGraceSeconds: z.number().int().positive().default(300),
    paymentTimeoutMs: z.number().int().positive().default(10_000),
  })
  .refine((t) => t.paymentTimeoutMs <= t.paymentGraceSeconds * 1000, {
    path: ['paymentTimeoutMs'],
    message: 'paymentTimeoutMs must not exceed paymentGraceSeconds',
  });

/**
 * The grace period and the gateway deadline, checked together: a call may not be waited
 * on longer than the grace period, after which recovery treats its charge as settled
 * business and asks the gateway about it. Bad values are `VALIDATION` at `createInnkeeper`.
 */
export function paymentTimings(options: InnkeeperOptions) {
  const { paymentGraceSeconds: graceSeconds, paymentTimeoutMs: timeoutMs } = parse(
    paymentTimingsSchema,
    {
      paymentGraceSeconds: options.paymentGraceSeconds,
      paymentTimeoutMs: options.paymentTimeoutMs,
    },
  );
  return { graceSeconds, timeoutMs };
}
