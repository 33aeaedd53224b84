/** A V8 CPU profile (`Profiler.stop`), as far as the profiling scripts read it. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
  /** When sampling began, in µs on the monotonic clock (`process.hrtime`). */
  startTime: number;
}

/**
 * Names a profile's nodes by function and place (`book adapter-sqlite/dist/index.js:1513`),
 * so one function's samples add up across its call sites.
 */
export function frameNamer(profile: CpuProfile): (nodeId: number) => string {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  return (nodeId) => {
    const frame = frames.get(nodeId);
    if (!frame) return '?';
    const file = frame.url.split('/').slice(-3).join('/');
    return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
  };
}
