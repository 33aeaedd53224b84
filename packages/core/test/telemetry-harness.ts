/**
 * OpenTelemetry's SDK with in-memory exporters, registered globally as an application
 * would: spans are kept in memory, metrics read on demand. `spanTree()` draws the
 * finished spans as an indented outline, children under their parent.
 */
import type { Innkeeper, Reservation } from '@innkeeper/core';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Metrics read when asked (`collect()`), never on a timer. */
class OnDemandReader extends MetricReader {
  protected override async onShutdown() {}
  protected override async onForceFlush() {}
}

export interface Telemetry {
  spans: InMemorySpanExporter;
  /** The finished spans as lines, two spaces of indent per level, in start order. */
  spanTree(): string[];
  /** Every span's attributes, for scanning. */
  attributes(): Record<string, unknown>[];
  /** The data points of the metric `name`, as `{ attributes, value }`. */
  metric(name: string): Promise<{ attributes: Record<string, unknown>; value: unknown }[]>;
  /** Forgets the spans recorded so far. */
  reset(): void;
  /** Unregisters everything (back to the API's no-ops). */
  stop(): Promise<void>;
}

export function recordTelemetry(): Telemetry {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);

  return {
    spans,
    spanTree: () => treeOf(spans.getFinishedSpans()),
    attributes: () => spans.getFinishedSpans().map((s) => ({ ...s.attributes })),
    async metric(name) {
      const { resourceMetrics } = await reader.collect();
      const found = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === name);
      const points: DataPoint<unknown>[] = found?.dataPoints ?? [];
      return points.map((p) => ({ attributes: { ...p.attributes }, value: p.value }));
    },
    reset: () => spans.reset(),
    async stop() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

function treeOf(spans: ReadableSpan[]): string[] {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  const children = new Map<string | undefined, ReadableSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const started = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => started(a) - started(b));
    for (const span of list) {
      lines.push(`${'  '.repeat(depth)}${span.name}`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

/** The span tree of a paid booking on any store: what each adapter's telemetry test expects. */
export const PAID_BOOKING_TREE = [
  'innkeeper.book',
  '  innkeeper.store.readStay',
  '  innkeeper.store.applyBooking',
  '  innkeeper.gateway.charge',
  '  innkeeper.store.changeReservation',
];

/** A hotel with one room type sold in January 2030: the set-up of each adapter's test. */
export async function openPaidBookingHotel(inn: Innkeeper): Promise<void> {
  await inn.createHotel({ id: 'h1', name: 'H', timeZone: 'UTC', currency: 'EUR' });
  await inn.createRoomType({
    hotelId: 'h1',
    id: 'std',
    name: 'Std',
    maxAdults: 2,
    baseRate: 9_000,
  });
  await inn.setInventory({
    hotelId: 'h1',
    roomTypeId: 'std',
    from: '2030-01-01',
    to: '2030-01-31',
    total: 3,
  });
}

/** The paid booking whose spans `PAID_BOOKING_TREE` describes. */
export function bookPaidStay(inn: Innkeeper): Promise<Reservation> {
  return inn.book({
    hotelId: 'h1',
    checkIn: '2030-01-10',
    checkOut: '2030-01-12',
    idempotencyKey: 'k1',
    lines: [{ roomTypeId: 'std', adults: 2 }],
    guest: { name: 'Ana', email: 'ana@example.com' },
  });
}

/** The name of the span active now (the SDK's spans carry it), or `undefined`. */
export function activeSpanName(): string | undefined {
  const span = trace.getActiveSpan() as { name?: string } | undefined;
  return span?.name;
}
