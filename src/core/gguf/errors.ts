import { basename } from 'node:path';
import { DomainError } from '../errors';

/** Why a model or adapter file could not be used. */
export type ModelFileProblem =
  | 'not_found'
  | 'not_gguf'
  | 'truncated'
  /** A header that is malformed or out of bounds (see gguf/validate.ts): never handed to llama.cpp. */
  | 'invalid'
  | 'split_part_missing'
  | 'unsupported_architecture'
  | 'not_a_model'
  | 'not_an_adapter'
  | 'adapter_mismatch'
  | 'load_failed';

/**
 * A model or adapter file that cannot be read or used. The message always names the file;
 * `file` holds its full path and `problem` the machine-readable reason.
 */
export class ModelFileError extends DomainError {
  readonly file: string;
  readonly problem: ModelFileProblem;

  constructor(problem: ModelFileProblem, file: string, message: string, options?: { cause?: unknown }) {
    super(problem === 'not_found' || problem === 'split_part_missing' ? 'not_found' : 'invalid_input', message, { file, problem }, options);
    this.file = file;
    this.problem = problem;
  }
}

/** `"name.gguf" (/full/path/name.gguf)` for messages. */
export function describeFile(path: string): string {
  return `"${basename(path)}" (${path})`;
}
