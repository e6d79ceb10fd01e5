import type { MedtaskBridge } from '../../../shared/bridge';
import type { MedtaskClient } from '../../../shared/contract';
import { unwrap } from '../../../shared/errors';
import { makeClient } from './makeClient';

export function ipcClient(bridge: MedtaskBridge): MedtaskClient {
  return makeClient(
    async (name, input) => unwrap(await bridge.calls[name](input)),
    (event, listener) => bridge.onEvent(event, listener),
  );
}
