import type { MedtaskClient } from '../../../shared/contract';
import { httpClient } from './http';
import { ipcClient } from './ipc';
import { takeToken } from './token';

let client: MedtaskClient | null = null;

export type Transport = 'ipc' | 'http';

export function transport(): Transport {
  return window.medtask ? 'ipc' : 'http';
}

/** Electron puts a bridge on `window.medtask`; anything else is the browser talking to the web host. */
export function getClient(): MedtaskClient {
  client ??= window.medtask ? ipcClient(window.medtask) : httpClient(takeToken());
  return client;
}

/** For tests and storybook-like harnesses that want a fake engine. */
export function setClient(next: MedtaskClient | null): void {
  client = next;
}
