import { CALL_NAMES } from '../../../shared/names';
import type { CallInput, CallName, CallResults, MedtaskClient } from '../../../shared/contract';

export type Invoke = <N extends CallName>(name: N, input: CallInput<N>) => Promise<CallResults[N]>;

/**
 * Both transports are generic over the call name, so the client is built from the
 * contract's list of calls: a call added to the contract needs no change here.
 */
export function makeClient(invoke: Invoke, on: MedtaskClient['on']): MedtaskClient {
  const calls: Record<string, (input: never) => Promise<unknown>> = {};
  for (const name of CALL_NAMES) calls[name] = (input) => invoke(name, input);
  return { ...(calls as { [N in CallName]: MedtaskClient[N] }), on };
}
