/** Picks the transport for this window (the Electron bridge, or HTTP to the web host) and injects it. */
import type { MedtaskClient } from '../../../shared/contract';
import { setClient } from './current';
import { httpClient } from './http';
import { ipcClient } from './ipc';
import { takeToken } from './token';

export type Transport = 'ipc' | 'http';

export function transport(): Transport {
  return window.medtask ? 'ipc' : 'http';
}

/** Electron puts a bridge on `window.medtask`; anything else is the browser talking to the web host. */
export function connect(): MedtaskClient {
  const client = window.medtask ? ipcClient(window.medtask) : httpClient(takeToken());
  setClient(client);
  return client;
}
