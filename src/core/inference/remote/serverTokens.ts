/**
 * What a llama.cpp server can say before a run: its per-slot context (`GET /props`) and exact
 * prompt token counts (`POST /apply-template`, then `POST /tokenize`). Other OpenAI-compatible
 * servers have no such endpoints; callers fall back to an estimate when these return null or throw.
 * Answers are read with a byte cap and checked field by field: a server is outside data.
 */

/** `/props` carries the chat template and settings: a few KiB, rarely 100 KiB. */
export const PROPS_MAX_BYTES = 2 * 1024 * 1024;
/** A `/tokenize` or `/apply-template` answer: ids or text a few times the prompt's size, plus room. */
export const tokenizeMaxBytes = (promptChars: number): number => 64 * 1024 + 16 * promptChars;
/** No llama.cpp model has a context anywhere near this; a larger n_ctx is not believed. */
const MAX_CONTEXT = 1 << 24;

/** The server root for llama.cpp's own endpoints: the base URL without a trailing `/v1`. */
export function serverUrl(baseUrl: string, path: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`Remote backend base URL must be http(s): "${baseUrl}"`);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/v\d+$/, '')}/${path}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** The body as text, refusing more than `maxBytes` (the read stops there; the rest is never buffered). */
export async function readBounded(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`the answer is ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`the answer is more than the ${maxBytes} bytes allowed`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`the answer is not JSON: ${text.slice(0, 120).replace(/\s+/g, ' ')}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** n_ctx of a `/props` answer, or null when the answer is not llama.cpp's (another server's 200 page, say). */
export function parseProps(text: string): number | null {
  const json = parseJson(text);
  const settings = isObject(json) ? json.default_generation_settings : undefined;
  const nCtx = isObject(settings) ? settings.n_ctx : undefined;
  if (nCtx === undefined) return null;
  if (typeof nCtx !== 'number' || !Number.isInteger(nCtx) || nCtx < 1 || nCtx > MAX_CONTEXT)
    throw new Error(`default_generation_settings.n_ctx is not a context size: ${String(JSON.stringify(nCtx)).slice(0, 40)}`);
  return nCtx;
}

/** The token count of a `/tokenize` answer (`{ tokens: [...] }`). */
export function parseTokenize(text: string): number {
  const json = parseJson(text);
  const tokens = isObject(json) ? json.tokens : undefined;
  if (!Array.isArray(tokens)) throw new Error('the answer has no "tokens" list');
  return tokens.length;
}

/** The rendered prompt of an `/apply-template` answer (`{ prompt: "..." }`). */
export function parseApplyTemplate(text: string): string {
  const json = parseJson(text);
  const prompt = isObject(json) ? json.prompt : undefined;
  if (typeof prompt !== 'string') throw new Error('the answer has no "prompt" text');
  return prompt;
}
