/**
 * node-llama-cpp, loaded on first use instead of at start-up. Importing it costs about 0.5 s of
 * CPU, which every `medtask` command (an import, a score, a search) paid before it needed a model.
 */
import type * as LlamaLib from 'node-llama-cpp';

let lib: typeof LlamaLib | undefined;
let loading: Promise<typeof LlamaLib> | undefined;

export function loadLlamaLib(): Promise<typeof LlamaLib> {
  loading ??= import('node-llama-cpp').then((m) => (lib = m));
  return loading;
}

/** The module, for code that runs only once a model exists (and so once the module is loaded). */
export function loadedLlamaLib(): typeof LlamaLib {
  if (!lib) throw new Error('node-llama-cpp was used before it was loaded');
  return lib;
}
