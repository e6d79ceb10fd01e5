/**
 * Downloads a model from the Hugging Face Hub (or an http(s) URL) with node-llama-cpp's model
 * downloader. Offline machines get a plain answer quickly: a short reachability probe first, then a
 * stall timer that aborts when the download does not advance for `timeoutMs`. A cancelled or stalled download
 * keeps its partial `.ipull` file, and the next pull of the same URI continues from it. Cleartext
 * `http://` is refused unless asked for (loopback excepted), and a finished file that is not GGUF
 * is deleted rather than left in the models folder.
 */
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { loadLlamaLib } from '../inference/llamaLib';
import { BadInputError, DomainError, NotFoundError } from '../errors';

export function offlineMessage(host: string): string {
  return `offline: cannot reach ${host}; copy the .gguf file to this machine and use \`medtask models add PATH\``;
}

/** The host a model URI is fetched from. */
export function hubHost(uri: string): string {
  if (/^(hf|huggingface):/i.test(uri)) return 'huggingface.co';
  try {
    const u = new URL(uri);
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.host;
  } catch {
    // fall through
  }
  throw new BadInputError(
    `"${uri}" is not a model URI: use hf:<user>/<repo>:<quant>, hf:<user>/<repo>/<file>.gguf or an https:// URL (for a local file use \`medtask models add PATH\`)`,
  );
}

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') break;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    const msg = e instanceof Error ? e.message : '';
    if (/fetch failed|getaddrinfo|network|socket|ECONN|ENOTFOUND|timed? ?out/i.test(msg)) return true;
    if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export interface PullOptions {
  /** Where downloaded files go. */
  directory: string;
  /** Give up when the host cannot be reached, or no bytes arrive, within this time. */
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (status: { totalSize: number; downloadedSize: number; averageSpeed: number; estimatedTimeLeft: number }) => void;
  /** Probe URL (tests); default the URI's host root, over https unless the URI is http. */
  probeUrl?: string;
  /** Allow a cleartext `http://` URI to another machine (the file could be swapped on the way). */
  allowInsecure?: boolean;
}

/** Loopback traffic never leaves the machine, so http:// there is no cleartext on a network. */
function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Refuses `http://` to another host unless `allowInsecure`. */
export function checkTransport(uri: string, allowInsecure: boolean): void {
  if (!/^http:/i.test(uri) || allowInsecure) return;
  let hostname = '';
  try {
    hostname = new URL(uri).hostname;
  } catch {
    return; // hubHost() reports a bad URI
  }
  if (isLoopback(hostname)) return;
  throw new BadInputError(
    `refusing a cleartext http:// download from ${hostname}: a model fetched without TLS can be replaced on the way; use https://, or allow it explicitly (allowInsecure: true, CLI --allow-insecure)`,
    { field: 'uri', reason: 'insecure_transport' },
  );
}

const GGUF_MAGIC = Buffer.from('GGUF', 'ascii');

/** Deletes `file` and refuses it unless it starts with the GGUF magic bytes. */
export async function keepOnlyGguf(file: string): Promise<void> {
  const head = Buffer.alloc(4);
  let read = 0;
  const h = await open(file, 'r');
  try {
    ({ bytesRead: read } = await h.read(head, 0, 4, 0));
  } finally {
    await h.close();
  }
  if (read === 4 && head.equals(GGUF_MAGIC)) return;
  await rm(file, { force: true });
  throw new BadInputError(`the downloaded file ${path.basename(file)} is not a GGUF model (it does not start with the GGUF magic bytes); it was deleted`, {
    file,
    problem: 'not_gguf',
  });
}

export interface PulledFile {
  path: string;
  /** Bytes found on disk from an earlier, interrupted download. */
  resumedBytes: number;
}

/** Downloads `uri` (skipping files already there, resuming partial ones) and returns its first file. */
export async function pullModelFile(uri: string, opts: PullOptions): Promise<PulledFile> {
  const host = hubHost(uri);
  checkTransport(uri, opts.allowInsecure ?? false);
  const stall = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stall.signal]) : stall.signal;
  let timer = setTimeout(() => stall.abort(new Error(`no answer from ${host} in ${opts.timeoutMs} ms`)), opts.timeoutMs);
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(new Error(`download from ${host} made no progress for ${opts.timeoutMs} ms`)), opts.timeoutMs);
  };
  try {
    try {
      await fetch(opts.probeUrl ?? `${/^http:/i.test(uri) ? 'http' : 'https'}://${host}/`, { method: 'HEAD', redirect: 'manual', signal });
    } catch (err) {
      if (opts.signal?.aborted) throw new BadInputError(`download of ${uri} was cancelled`);
      throw new NotFoundError(offlineMessage(host), {
        uri,
        cause: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err),
      });
    }
    kick();
    let furthest = -1;
    await mkdir(opts.directory, { recursive: true, mode: 0o700 });
    let download: Promise<string> | null = null;
    try {
      const downloader = await (
        await loadLlamaLib()
      ).createModelDownloader({
        modelUri: uri,
        dirPath: opts.directory,
        // Kept, so that the next pull resumes instead of starting again.
        deleteTempFileOnCancel: false,
        onProgress: (s) => {
          // Only new bytes count as life: a connection that drops and is retried re-sends the
          // same range, and would otherwise keep a download that never advances alive forever.
          if (s.downloadedSize > furthest) {
            furthest = s.downloadedSize;
            kick();
          }
          opts.onProgress?.(s);
        },
      });
      const resumedBytes = downloader.downloadedSize;
      // The downloader may retry inside; the stall signal answers for it either way.
      const aborted = new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true });
      });
      download = downloader.download({ signal });
      download.catch(() => undefined);
      const file = await Promise.race([download, aborted]);
      // A cancelled download resolves rather than rejects: check that it finished.
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      await keepOnlyGguf(file);
      return { path: file, resumedBytes };
    } catch (err) {
      if (err instanceof DomainError && err.details?.problem === 'not_gguf') throw err;
      // Let the downloader close its partial file before answering, so a pull right after resumes.
      if (signal.aborted && download) await Promise.race([download.catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
      if (opts.signal?.aborted) throw new BadInputError(`download of ${uri} was cancelled; the partial file is kept and the next pull resumes it`);
      const msg = err instanceof Error ? err.message : String(err);
      if (stall.signal.aborted || isNetworkError(err)) throw new NotFoundError(`${offlineMessage(host)} (${msg})`, { uri });
      throw new NotFoundError(`cannot download ${uri}: ${msg}`, { uri });
    }
  } finally {
    clearTimeout(timer);
  }
}
