/** Events from the web host over one WebSocket, authorised by the token in the subprotocol list. */
import type { EventName, EventPayloads } from '../../../shared/contract';

type AnyListener = (payload: never) => void;

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

/**
 * One WebSocket shared by all event listeners. It is open only while someone listens,
 * and reconnects with capped exponential backoff because the engine may restart.
 */
export class EventSocket {
  private socket: WebSocket | null = null;
  private readonly listeners = new Map<EventName, Set<AnyListener>>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly url: string,
    private readonly protocols: string[] = [],
  ) {}

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    this.connect();
    return () => {
      set.delete(listener);
      if (this.listenerCount() === 0) this.close();
    };
  }

  private listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  private connect(): void {
    if (this.socket || this.retryTimer !== undefined) return;
    const socket = new WebSocket(this.url, this.protocols);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempt = 0;
    });
    socket.addEventListener('message', (ev) => this.deliver(ev.data));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.listenerCount() === 0) return;
    const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempt);
    // Jitter keeps several tabs from hammering a restarting engine in lockstep.
    const delay = base * (0.8 + Math.random() * 0.4);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  private close(): void {
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.attempt = 0;
  }

  private deliver(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || !('event' in message)) return;
    const { event, payload } = message as { event: unknown; payload: unknown };
    const set = typeof event === 'string' ? this.listeners.get(event as EventName) : undefined;
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (err) {
        // One failing listener must not starve the others.
        console.error(`medtask: listener for "${String(event)}" failed`, err);
      }
    }
  }
}

/** The web host's events endpoint on the page's own origin (never a query token: URLs end up in logs). */
export function eventsUrl(): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${window.location.host}/api/events`;
}

/**
 * A browser cannot set headers on a WebSocket, so the token rides in the subprotocol list; the host
 * answers with `medtask.v1` only, never echoing the token. Same names as src/server/auth.ts.
 */
export function eventsProtocols(token: string | null): string[] {
  return token ? ['medtask.v1', `medtask.token.${token}`] : ['medtask.v1'];
}
