/** Why a remote generation failed. */
export type RemoteErrorKind = 'http' | 'timeout' | 'network' | 'protocol';

/** A failed remote request; the message names the method, URL and HTTP status or cause, and the attempts made. */
export class RemoteInferenceError extends Error {
  readonly kind: RemoteErrorKind;
  readonly url: string;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The start of the response body (≤ 500 characters), when the server answered. */
  readonly bodyExcerpt: string | undefined;
  readonly retryable: boolean;
  /** Attempts made before giving up (set when the error leaves the backend). */
  attempts: number;
  /** Server's Retry-After, in ms. */
  readonly retryAfterMs: number | undefined;
  /** The message without the attempts suffix. */
  readonly detail: string;

  constructor(
    kind: RemoteErrorKind,
    url: string,
    detail: string,
    opts: { status?: number; bodyExcerpt?: string; retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(`POST ${url} ${detail}`, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'RemoteInferenceError';
    this.kind = kind;
    this.url = url;
    this.status = opts.status;
    this.bodyExcerpt = opts.bodyExcerpt;
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs;
    this.attempts = 1;
    this.detail = detail;
  }

  /** Final form: records the attempts in the message. */
  withAttempts(attempts: number, retriesAllowed: number): this {
    this.attempts = attempts;
    const note = !this.retryable
      ? attempts === 1
        ? 'not retried'
        : `${attempts} attempts, last failure not retryable`
      : `${attempts} attempt${attempts === 1 ? '' : 's'}${retriesAllowed === 0 ? ', retries off' : ''}`;
    this.message = `POST ${this.url} ${this.detail} (${note})`;
    return this;
  }
}

/** HTTP statuses worth retrying: request timeout, too many requests, and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The first `max` characters of a body, whitespace collapsed. */
export function excerpt(text: string, max = 500): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
