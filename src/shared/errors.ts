/**
 * The error model, in one place. `code` is for programs, `message` for people: it names the
 * file, line or field that was wrong.
 *
 * Three kinds of failure reach a caller:
 *  - expected domain errors, thrown by core as the typed classes in `src/core/errors.ts`
 *    (bad input with file/line/field, not found, forbidden, conflict, cancelled, unsupported
 *    on this machine). They carry a `domainKind`; `toErrorData` maps it to a code here, so
 *    shared never imports core;
 *  - validation failures at the boundary (`dispatchCall`), sent with structured `issues`
 *    so a form can mark the right field without parsing the message;
 *  - anything else is a bug: code `internal`, logged with its stack by the host.
 * `ApiError` is the transport envelope as an exception (what clients throw after `unwrap`).
 */
export type ApiErrorCode =
  'invalid_input' | 'not_found' | 'forbidden' | 'conflict' | 'cancelled' | 'unsupported' | 'too_large' | 'import_failed' | 'unauthorized' | 'internal';

/** One validation problem: where (a dotted path into the input) and what. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export interface ApiErrorData {
  code: ApiErrorCode;
  message: string;
  /** Optional location of the fault, e.g. `{ file, line, field }`. */
  details?: Record<string, string | number>;
  /** Validation failures, one per field (only with `invalid_input` from the boundary). */
  issues?: ValidationIssue[];
}

/** HTTP status per code: every expected error is 4xx; only bugs are 5xx. */
export const HTTP_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  cancelled: 409,
  too_large: 413,
  import_failed: 422,
  unsupported: 422,
  internal: 500,
};

/** The kinds of expected error core may throw (see src/core/errors.ts). */
export type DomainErrorKind = 'invalid_input' | 'not_found' | 'forbidden' | 'conflict' | 'cancelled' | 'unsupported' | 'too_large' | 'import_failed';

/** What core's typed errors look like from here: duck-typed, so shared needs no core import. */
export interface DomainErrorLike {
  readonly domainKind: DomainErrorKind;
  readonly message: string;
  readonly details?: Record<string, string | number>;
}

export function isDomainError(err: unknown): err is DomainErrorLike {
  return err instanceof Error && typeof (err as { domainKind?: unknown }).domainKind === 'string';
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details?: Record<string, string | number>;
  readonly issues?: ValidationIssue[];

  constructor(code: ApiErrorCode, message: string, details?: Record<string, string | number>, issues?: ValidationIssue[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
    this.issues = issues;
  }

  toData(): ApiErrorData {
    const data: ApiErrorData = { code: this.code, message: this.message };
    if (this.details) data.details = this.details;
    if (this.issues) data.issues = this.issues;
    return data;
  }

  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, data.details, data.issues);
  }
}

/** Calls answer with an envelope so typed errors survive IPC and HTTP alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };

/** Node's errno codes that mean the user named a path that cannot be used: never a bug. */
const ERRNO_CODES: Readonly<Record<string, ApiErrorCode>> = {
  ENOENT: 'not_found',
  EACCES: 'forbidden',
  EPERM: 'forbidden',
  EISDIR: 'invalid_input',
  ENOTDIR: 'invalid_input',
  ELOOP: 'invalid_input',
  ENAMETOOLONG: 'invalid_input',
  EEXIST: 'conflict',
  ENOSPC: 'unsupported',
  EROFS: 'forbidden',
};

const MAX_MESSAGE = 2000;

/** Messages can quote user input: keep them bounded so an error never echoes megabytes back. */
export function boundMessage(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}… (${message.length - MAX_MESSAGE} more characters)` : message;
}

/**
 * Any thrown value to the envelope's error. `onBug` sees what is not an expected error
 * (hosts log it with its stack) before it is reported as `internal`.
 */
export function toErrorData(err: unknown, onBug?: (err: unknown) => void): ApiErrorData {
  if (err instanceof ApiError) return { ...err.toData(), message: boundMessage(err.message) };
  if (isDomainError(err)) {
    const data: ApiErrorData = { code: err.domainKind, message: boundMessage(err.message) };
    if (err.details && Object.keys(err.details).length) data.details = err.details;
    return data;
  }
  const errno = err instanceof Error ? (err as NodeErrnoLike).code : undefined;
  if (typeof errno === 'string' && Object.hasOwn(ERRNO_CODES, errno)) {
    const e = err as NodeErrnoLike;
    const where = typeof e.path === 'string' ? e.path : 'file';
    const data: ApiErrorData = { code: ERRNO_CODES[errno]!, message: boundMessage(`${where}: ${errnoText(errno)}`) };
    if (typeof e.path === 'string') data.details = { file: e.path };
    return data;
  }
  onBug?.(err);
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: boundMessage(`internal error (a bug; please report it): ${message}`) };
}

interface NodeErrnoLike extends Error {
  code?: unknown;
  path?: unknown;
}

function errnoText(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'path too long';
    case 'EEXIST':
      return 'already exists';
    case 'ENOSPC':
      return 'no space left on the disk';
    case 'EROFS':
      return 'read-only file system';
    default:
      return code;
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw ApiError.fromData(envelope.error);
}
