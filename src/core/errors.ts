/**
 * Core's expected errors, one class per kind the error model names (src/shared/errors.ts).
 * Throw these for anything a user can cause or fix; `dispatchCall` maps them to the envelope
 * by their `domainKind`. Anything else thrown from core is treated as a bug.
 */
import type { DomainErrorKind } from '../shared/errors';

export type ErrorDetails = Record<string, string | number>;

export class DomainError extends Error {
  readonly domainKind: DomainErrorKind;
  readonly #details: ErrorDetails | undefined;

  constructor(kind: DomainErrorKind, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.domainKind = kind;
    this.#details = details;
  }

  /** Where the fault is (file, line, field, …); subclasses may derive it from their own fields. */
  get details(): ErrorDetails | undefined {
    return this.#details;
  }
}

/** Where in a file a fault is; the message names it too. */
export interface FaultLocation {
  file?: string;
  line?: number;
  record?: number;
  field?: string;
}

function located(at: FaultLocation | ErrorDetails | undefined): ErrorDetails | undefined {
  if (!at) return undefined;
  const details: ErrorDetails = {};
  for (const [k, v] of Object.entries(at)) if (v !== undefined) details[k] = v as string | number;
  return Object.keys(details).length ? details : undefined;
}

/** Input the user gave (a file, a field) is wrong; the message says where and what to do. */
export class BadInputError extends DomainError {
  constructor(message: string, at?: FaultLocation | ErrorDetails, options?: { cause?: unknown }) {
    super('invalid_input', message, located(at), options);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('not_found', message, details);
  }
}

/** Refused by policy (file confinement, permissions), not by a fault in the input. */
export class ForbiddenError extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('forbidden', message, details);
  }
}

/** The request clashes with what is stored or running (a duplicate id, an existing file). */
export class ConflictError extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('conflict', message, details);
  }
}

export class CancelledError extends DomainError {
  constructor(message = 'cancelled', details?: ErrorDetails) {
    super('cancelled', message, details);
  }
}

/** Valid, but this machine or build cannot do it (no GPU backend, no demo pack shipped). */
export class UnsupportedError extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('unsupported', message, details);
  }
}

/** A file or request over a size limit this build enforces (the message names the limit). */
export class TooLargeError extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('too_large', message, details);
  }
}
