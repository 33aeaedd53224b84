/**
 * Something that has been through the CPU's caches and TLB between two bookings, for the
 * profiling scripts' experiments (`profile:gap --touch-kb`, `profile:syscalls --kind touch`):
 * the returned function reads `kb` KB in 4 KB runs at random places of a 256 MB buffer, one
 * read per 64-byte cache line, each run on a page of its own.
 */
export function cacheToucher(kb: number): () => void {
  if (kb <= 0) return () => {};
  const buffer = new Float64Array(32 * 1024 * 1024).fill(1);
  let sink = 0;
  return () => {
    for (let run = 0; run < kb / 4; run++) {
      const start = Math.floor(Math.random() * (buffer.length - 512));
      for (let i = 0; i < 512; i += 8) sink += buffer[start + i] ?? 0;
    }
    // Read, so that the compiler cannot drop the loop as dead code.
    if (sink < 0) console.log(sink);
  };
}
