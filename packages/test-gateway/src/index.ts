export type { LedgerEntry, LedgerHooks } from './file-ledger-gateway.js';
export { FileLedgerGateway, readLedger } from './file-ledger-gateway.js';
export {
  GatewayMisuseError,
  GatewayTimeoutError,
  GatewayUnavailableError,
  SimulatedCrashError,
} from './gateway-errors.js';
export type { ChargeRecord, DeclineRecord, RefundRecord } from './gateway-ledger.js';
export type {
  ChargeOutcome,
  LookupOutcome,
  OutcomeResponder,
  RefundOutcome,
} from './gateway-script.js';
export type { GatewayCall, TestGatewayOptions } from './test-gateway.js';
export { createTestGateway, TestGateway } from './test-gateway.js';
