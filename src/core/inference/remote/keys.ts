/**
 * Which environment variable a remote run may take its API key from, and where that key may be
 * sent. A run names the variable (`apiKeyEnv`), never the key; without a rule, any caller could
 * name any variable (a cloud token, a database password) and a base URL of its own, and receive
 * the value as a bearer token. The rule (docs/SECURITY.md, "Remote API keys"):
 *
 * - `MEDTASK_<NAME>_API_KEY` is sent only to the base URL in `MEDTASK_<NAME>_BASE_URL`;
 * - `OPENAI_API_KEY` only to `OPENAI_BASE_URL`, else https://api.openai.com/v1;
 * - any other variable only if the data directory's `remote-keys.json` registers it with its
 *   base URL: `{ "TOGETHER_API_KEY": "https://api.together.xyz/v1" }`.
 *
 * Base URLs are compared as the endpoints the backend would call (scheme, host, port, path).
 */
import fs from 'node:fs';
import path from 'node:path';
import { endpointUrl } from './remoteBackend';
import { BadInputError } from '../../errors';

export const KEY_REGISTRY_FILE = 'remote-keys.json';
const MEDTASK_KEY = /^MEDTASK_([A-Z0-9_]+)_API_KEY$/;
const OPENAI_DEFAULT_BASE = 'https://api.openai.com/v1';

/** The endpoint a base URL stands for, or null when it is not an http(s) URL. */
function endpointOf(baseUrl: string): string | null {
  try {
    return endpointUrl(baseUrl, 'chat/completions');
  } catch {
    return null;
  }
}

/** The data directory's registered variables (name -> base URL); a missing file is none. */
export function readKeyRegistry(home: string): Record<string, string> {
  const file = path.join(home, KEY_REGISTRY_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadInputError(`${file}: not valid JSON; expected { "VARIABLE_NAME": "https://base-url" }`, { file });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new BadInputError(`${file}: expected an object { "VARIABLE_NAME": "https://base-url" }`, { file });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(k) || typeof v !== 'string')
      throw new BadInputError(`${file}: entry ${k.slice(0, 80)} must map a variable name (A-Z, 0-9, _) to a base URL`, { file, field: k.slice(0, 80) });
    out[k] = v;
  }
  return out;
}

/** The base URL `name` is bound to, and where that binding comes from (for messages). */
function boundBaseUrl(name: string, env: NodeJS.ProcessEnv, registry: Record<string, string>): { url: string; from: string } | null {
  const m = MEDTASK_KEY.exec(name);
  if (m) {
    const urlVar = `MEDTASK_${m[1]}_BASE_URL`;
    const url = env[urlVar];
    return url ? { url, from: urlVar } : { url: '', from: urlVar };
  }
  if (name === 'OPENAI_API_KEY')
    return { url: env.OPENAI_BASE_URL || OPENAI_DEFAULT_BASE, from: env.OPENAI_BASE_URL ? 'OPENAI_BASE_URL' : `the default ${OPENAI_DEFAULT_BASE}` };
  const registered = registry[name];
  return registered ? { url: registered, from: KEY_REGISTRY_FILE } : null;
}

/**
 * The API key for a remote model, after checking that its variable may be used and that the run's
 * base URL is the one the key is bound to; undefined when the spec names no variable.
 */
export function resolveApiKey(
  spec: { baseUrl: string; apiKeyEnv?: string | undefined },
  opts: { env?: NodeJS.ProcessEnv; home?: string } = {},
): string | undefined {
  const name = spec.apiKeyEnv;
  if (!name) return undefined;
  const env = opts.env ?? process.env;
  const field = { field: 'model.apiKeyEnv' };
  const registry = opts.home && !MEDTASK_KEY.test(name) && name !== 'OPENAI_API_KEY' ? readKeyRegistry(opts.home) : {};
  const bound = boundBaseUrl(name, env, registry);
  if (!bound) {
    throw new BadInputError(
      `the API key variable ${name} may not be used: name it MEDTASK_<NAME>_API_KEY and set MEDTASK_<NAME>_BASE_URL to the server's base URL, use OPENAI_API_KEY, or register it in ${KEY_REGISTRY_FILE} in the data directory ({ "${name}": "https://base-url" })`,
      field,
    );
  }
  if (!bound.url) {
    throw new BadInputError(`the API key variable ${name} is not bound to a server: set ${bound.from} to the base URL the key is for`, field);
  }
  const want = endpointOf(bound.url);
  const got = endpointOf(spec.baseUrl);
  if (!want || !got || want !== got) {
    throw new BadInputError(
      `the API key in ${name} is only sent to ${bound.url} (from ${bound.from}), not to ${spec.baseUrl.slice(0, 300)}; use that base URL, or bind a key of its own to this server`,
      field,
    );
  }
  const key = env[name];
  if (!key) throw new BadInputError(`the API key variable ${name} is not set`, field);
  return key;
}

/**
 * The key a remote run (or its pre-flight) sends. A host that serves pages confines the variable to
 * the base URL it is bound to (resolveApiKey); the CLI takes any variable the user names, since
 * they typed it in their own shell. Undefined when the spec names no variable.
 */
export function apiKeyForRun(
  spec: { baseUrl: string; apiKeyEnv?: string | undefined },
  opts: { env?: NodeJS.ProcessEnv; home?: string | undefined; confine?: boolean | undefined } = {},
): string | undefined {
  const env = opts.env ?? process.env;
  if (opts.confine) return resolveApiKey(spec, { env, ...(opts.home ? { home: opts.home } : {}) });
  if (!spec.apiKeyEnv) return undefined;
  const key = env[spec.apiKeyEnv];
  if (!key) throw new BadInputError(`the API key variable ${spec.apiKeyEnv} is not set`, { field: 'model.apiKeyEnv' });
  return key;
}
