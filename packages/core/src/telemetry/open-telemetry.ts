import type * as OpenTelemetryApi from '@opentelemetry/api';

/**
 * `@opentelemetry/api`, if the application installed it: an optional peer dependency, so
 * it is loaded on first use rather than imported (an import of a missing package would
 * fail to load the library). Without it, or without a registered provider, the API's
 * no-op tracer and meter record nothing.
 *
 * Only this folder names the API's types, and none of them reach the public types: an
 * application without the package still type-checks against `@innkeeper/core`.
 */
export type OpenTelemetry = typeof OpenTelemetryApi;

let loading: Promise<OpenTelemetry | null> | undefined;
let loaded: OpenTelemetry | null | undefined;

/** The API module, or `null` when it is not installed. Loaded once per process. */
export function loadOpenTelemetry(): Promise<OpenTelemetry | null> {
  loading ??= import('@opentelemetry/api').then(
    (module) => {
      // A CommonJS build of the API seen from ESM puts its exports on `default`.
      const api = ('trace' in module ? module : (module as { default: OpenTelemetry }).default) as
        | OpenTelemetry
        | undefined;
      loaded = api?.trace ? api : null;
      return loaded;
    },
    () => {
      loaded = null;
      return null;
    },
  );
  return loading;
}

/** The API once loaded (`undefined` before the first load has finished). */
export function openTelemetryIfLoaded(): OpenTelemetry | null | undefined {
  return loaded;
}

/** The instrumentation scope every span and instrument of the library is created under. */
export const SCOPE = '@innkeeper/core';
