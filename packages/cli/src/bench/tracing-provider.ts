import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/** Takes every batch of spans and drops it: the bench measures recording, not shipping. */
class DiscardingExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    this.spans += spans.length;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

/** Metrics kept in memory until read; the bench never reads them. */
class IdleReader extends MetricReader {
  protected override async onShutdown() {}
  protected override async onForceFlush() {}
}

/**
 * What an application running with OpenTelemetry has: a tracer provider with a batch
 * processor, a meter provider, and AsyncLocalStorage context, all registered globally.
 * `register()` turns it on for the `engine + otel` contender's rounds, `unregister()`
 * back to the API's no-ops for the others (the engine sees the change on its next call).
 */
export function benchTracing() {
  const exporter = new DiscardingExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 65_536 })],
  });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  const contextManager = new AsyncLocalStorageContextManager();
  return {
    exporter,
    register() {
      context.setGlobalContextManager(contextManager.enable());
      trace.setGlobalTracerProvider(tracerProvider);
      metrics.setGlobalMeterProvider(meterProvider);
    },
    async unregister() {
      await tracerProvider.forceFlush();
      trace.disable();
      metrics.disable();
      context.disable();
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
