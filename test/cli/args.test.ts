/** The CLI's shared number parsers: each refuses what its name excludes, and the commands use them. */
import { describe, expect, it } from 'vitest';
import { finiteNumber, intInRange, nonNegativeInt, port, positiveInt } from '../../src/cli/args';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO, tempDir } from '../helpers';

describe('CLI number parsers', () => {
  it('positiveInt refuses 0, negatives, fractions and blanks', () => {
    expect(positiveInt('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', '', ' ', 'x', 'Infinity']) expect(() => positiveInt(bad), bad).toThrow(/1 or more/);
  });
  it('nonNegativeInt takes 0; intInRange and port bound; finiteNumber takes fractions', () => {
    expect(nonNegativeInt('0')).toBe(0);
    expect(() => nonNegativeInt('-2')).toThrow(/0 or more/);
    expect(intInRange(0, 1000)('1000')).toBe(1000);
    expect(() => intInRange(0, 1000)('1001')).toThrow(/from 0 to 1000/);
    expect(port('0')).toBe(0);
    expect(() => port('70000')).toThrow();
    expect(finiteNumber('0.7')).toBe(0.7);
    expect(() => finiteNumber('NaN')).toThrow(/a number/);
  });
  it('`medtask run --limit 0` is refused before anything runs', async () => {
    const run = promisify(execFile);
    const args = [
      path.join(REPO, 'scripts/run-ts.cjs'),
      path.join(REPO, 'src/cli/entry.ts'),
      '--home',
      tempDir(),
      'run',
      '--task',
      'x',
      '--model',
      'm.gguf',
      '--limit',
      '0',
    ];
    const failed = await run(process.execPath, args, { cwd: REPO }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/--limit.*1 or more/);
  });
});
