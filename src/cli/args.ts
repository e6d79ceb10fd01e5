/**
 * The CLI's number parsers, named once: each refuses what its name excludes (a
 * `positiveInt` refuses 0), rejects blanks and fractions, and says what it expected.
 */
import { InvalidArgumentError } from 'commander';
import { CliError } from './output';

function wholeNumber(value: string): number | null {
  const n = Number(value);
  return value.trim() === '' || !Number.isInteger(n) ? null : n;
}

/** 0, 1, 2, … */
export function nonNegativeInt(value: string): number {
  const n = wholeNumber(value);
  if (n === null || n < 0) throw new InvalidArgumentError(`expected a whole number, 0 or more, got "${value}"`);
  return n;
}

/** 1, 2, 3, … (counts, sizes, ids). */
export function positiveInt(value: string): number {
  const n = wholeNumber(value);
  if (n === null || n < 1) throw new InvalidArgumentError(`expected a whole number, 1 or more, got "${value}"`);
  return n;
}

/** A parser for whole numbers within [min, max]. */
export function intInRange(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = wholeNumber(value);
    if (n === null || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

/** Any finite number (temperatures, scales). */
export function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/** A TCP port; 0 lets the system pick a free one. */
export const port = intInRange(0, 65_535);

/** A parser for an integer flag whose error names the flag (and stays one line). */
export function intFlag(flag: string, min: number): (value: string) => number {
  return (value) => {
    const n = wholeNumber(value);
    if (n === null || n < min) throw new CliError(`${flag}: expected an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}
