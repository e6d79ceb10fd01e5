/**
 * A MedtaskClient that calls a real core through `dispatchCall`: the same input validation and
 * error envelope the hosts apply, without a socket, so renderer stores run under Node.
 */
import type { MedtaskCore } from '../../src/core/service';
import { makeClient } from '../../src/renderer/src/client/makeClient';
import type { EventName, MedtaskClient } from '../../src/shared/contract';
import { dispatchCall } from '../../src/shared/dispatch';
import { unwrap } from '../../src/shared/errors';

export function coreClient(core: MedtaskCore): MedtaskClient {
  return makeClient(
    async (name, input) => unwrap(await dispatchCall(core.handlers, name, input)) as never,
    (event, listener) => core.subscribe((e: EventName, payload) => (e === event ? listener(payload as never) : undefined)),
  );
}

/** Waits until `done()` holds: stores start some requests without returning their promise. */
export async function settle(done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`not settled within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
