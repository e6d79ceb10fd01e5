/**
 * The one MedtaskClient every store and component calls through. It is injected, not chosen
 * here: main.tsx connects the real transport (IPC or HTTP) before the first render, and a unit
 * test sets a client that dispatches straight into a real core. So stores never import a
 * transport, and run under Node against the same contract the hosts serve.
 */
import type { MedtaskClient } from '../../../shared/contract';

let current: MedtaskClient | null = null;

export function setClient(next: MedtaskClient | null): void {
  current = next;
}

export function getClient(): MedtaskClient {
  if (!current) throw new Error('no MedtaskClient yet: main.tsx connects one before the first render (a test calls setClient)');
  return current;
}
