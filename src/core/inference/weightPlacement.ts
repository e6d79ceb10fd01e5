/**
 * Where a model's weights live when nobody chose: read into the engine's own memory, or memory-mapped
 * from the file (llama.cpp's default). Pure, so the rule is tested with any sizes.
 *
 * Why not always mapped (measured, docs/PERFORMANCE.md, issue 16): on CPU, a long-lived engine
 * generating from mapped weights ran at 60-92% of llama-bench on a Llama-3.2-1B-shaped Q4_K_M model,
 * falling from round to round within the process, while the same weights read into RAM held 96-97%.
 * A benchmark run is exactly such a long-lived process. The price of reading in is the load itself
 * (the whole file is read before the first token, which a mapped file spreads over the first
 * tokens) and RAM the OS cannot drop and re-read under pressure, so a model is read in only where it
 * leaves most of the available memory free; GPU loads keep llama.cpp's default (not measured here).
 */

/** Read in only when the weights take at most this share of the memory available at load. */
export const IN_RAM_MAX_SHARE = 0.5;

export interface WeightPlacement {
  mmap: boolean;
  /** Why, in a sentence for the runtime panel and the log. */
  reason: string;
}

const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(bytes < 1e9 ? 2 : 1)} GB`;

export function chooseWeightPlacement(input: {
  /** The caller's own choice (a load setting); wins when given. */
  requested: boolean | undefined;
  sizeBytes: number;
  /** Memory available to programs at load: os.freemem() (MemAvailable on Linux, page cache included). */
  availableBytes: number;
  /** No layer goes to a GPU: the weights are read by the CPU for every token. */
  cpuOnly: boolean;
}): WeightPlacement {
  const { requested, sizeBytes, availableBytes, cpuOnly } = input;
  if (requested === true) return { mmap: true, reason: 'memory-mapped, as set' };
  if (requested === false) return { mmap: false, reason: 'read into RAM, as set' };
  if (!cpuOnly) return { mmap: true, reason: "auto: memory-mapped (llama.cpp's default where layers may go to a GPU)" };
  if (sizeBytes <= availableBytes * IN_RAM_MAX_SHARE)
    return {
      mmap: false,
      reason: `auto: read into RAM (${gb(sizeBytes)} of ${gb(availableBytes)} available): generation stays at full speed through long runs`,
    };
  return {
    mmap: true,
    reason: `auto: memory-mapped (${gb(sizeBytes)} is more than half of the ${gb(availableBytes)} available, so the OS may page it)`,
  };
}
