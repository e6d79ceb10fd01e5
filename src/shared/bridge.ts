/**
 * What the Electron preload puts on `window.medtask`: one function per call returning an
 * envelope, and one subscription function. Nothing else of IPC reaches the page.
 */
import type { CallInput, CallName, CallResults, EventName, EventPayloads } from './contract';
import type { Envelope } from './errors';

export const IPC_CALL_PREFIX = 'medtask:call:';
export const IPC_EVENT_CHANNEL = 'medtask:event';

export type MedtaskBridge = {
  calls: { [N in CallName]: (input: CallInput<N>) => Promise<Envelope<CallResults[N]>> };
  onEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};
