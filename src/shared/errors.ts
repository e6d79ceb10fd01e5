/**
 * The error shape every host returns. `code` is for programs, `message` for people:
 * it names the file, line or field that was wrong.
 */
export type ApiErrorCode = 'invalid_input' | 'not_found' | 'import_failed' | 'unauthorized' | 'internal';

export interface ApiErrorData {
  code: ApiErrorCode;
  message: string;
  /** Optional location of the fault, e.g. `{ file, line, field }`. */
  details?: Record<string, string | number>;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details?: Record<string, string | number>;

  constructor(code: ApiErrorCode, message: string, details?: Record<string, string | number>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }

  toData(): ApiErrorData {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }

  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, data.details);
  }
}

/** Calls answer with an envelope so typed errors survive IPC and HTTP alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };

export function toErrorData(err: unknown): ApiErrorData {
  if (err instanceof ApiError) return err.toData();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw ApiError.fromData(envelope.error);
}
