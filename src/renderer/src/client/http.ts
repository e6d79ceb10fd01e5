/** The browser transport: contract calls as POSTs to the web host, authorised by the bearer token header only. */
import type { CallInput, CallName, CallResults, MedtaskClient } from '../../../shared/contract';
import { unwrap } from '../../../shared/errors';
import { ApiError, type Envelope } from '../../../shared/errors';
import { EventSocket, eventsProtocols, eventsUrl } from './eventSocket';
import { makeClient } from './makeClient';

function isEnvelope(body: unknown): body is Envelope<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  const b = body as { ok: unknown; error?: unknown };
  if (b.ok === true) return 'value' in b;
  if (b.ok !== false || typeof b.error !== 'object' || b.error === null) return false;
  const e = b.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}

async function readEnvelope(name: CallName, res: Response): Promise<Envelope<unknown>> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isEnvelope(body)) return body;
  // Something other than our host answered (a proxy, a crashed server): say what came back.
  const code = res.status === 401 ? 'unauthorized' : 'internal';
  const snippet = text.trim().slice(0, 200);
  throw new ApiError(code, `${name}: HTTP ${res.status} ${res.statusText}${snippet ? `: ${snippet}` : ''}`);
}

export function httpClient(token: string | null): MedtaskClient {
  const events = new EventSocket(eventsUrl(), eventsProtocols(token));

  async function invoke<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResults[N]> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(`/api/call/${name}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? {}),
        // The token header is the only credential the host accepts; cookies would add nothing.
        credentials: 'omit',
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new ApiError('internal', `${name}: cannot reach the MedTask engine (${why}). Is \`medtask serve\` still running?`);
    }
    // The host is ours and validates its own output, so the value is trusted to match the contract.
    return unwrap((await readEnvelope(name, res)) as Envelope<CallResults[N]>);
  }

  return makeClient(invoke, (event, listener) => events.on(event, listener));
}
