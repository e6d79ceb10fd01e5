/** The engine log on a real file: levels, rotation, permissions, and no item text at info level. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger, MAX_FIELD_CHARS, logFile } from '../../src/core/log/logger';
import { tempDir } from '../helpers';

describe('logger', () => {
  it('writes the levels at or above its own, with fields and stacks', () => {
    const file = logFile(tempDir());
    const log = new Logger({ file, level: 'info' });
    log.debug('not written');
    log.info('import finished', { splits: 3, rows: 1200 });
    log.child('runs').error('bug in scoring', new TypeError('x is undefined'));
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('not written');
    expect(text).toMatch(/INFO {2}\[core\] import finished splits=3 rows=1200/);
    expect(text).toMatch(/ERROR \[runs\] bug in scoring\n {4}TypeError: x is undefined\n {8}at /);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never writes long text at info level, only at debug', () => {
    const file = logFile(tempDir());
    const item = 'The patient is a 54-year-old woman with a history of '.repeat(10);
    new Logger({ file, level: 'debug' }).info('generated', { output: item });
    new Logger({ file, level: 'debug' }).debug('generated', { output: item });
    const [infoLine, debugLine] = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(infoLine).toContain(`output="<${item.length} characters>"`);
    expect(infoLine).not.toContain('54-year-old');
    expect(item.length).toBeGreaterThan(MAX_FIELD_CHARS);
    expect(debugLine).toContain('54-year-old');
  });

  it('rotates past its size and keeps the given number of old files', () => {
    const dir = tempDir();
    const file = path.join(dir, 'logs', 'medtask.log');
    const log = new Logger({ file, maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 100; i++) log.info(`line ${i}`, { pad: 'x'.repeat(50) });
    const names = fs.readdirSync(path.dirname(file)).sort();
    expect(names).toEqual(['medtask.log', 'medtask.log.1', 'medtask.log.2']);
    for (const n of names) expect(fs.statSync(path.join(path.dirname(file), n)).size).toBeLessThanOrEqual(1000);
    expect(fs.readFileSync(file, 'utf8')).toContain('line 99');
  });

  it('echoes to the given sink (the CLI --verbose) at its own level', () => {
    const lines: string[] = [];
    const log = new Logger({ level: 'info', echo: (l) => lines.push(l), echoLevel: 'debug' });
    log.debug('loading model', { layers: 32 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('loading model layers=32');
  });
});

describe('engine log in the data directory', () => {
  it('the CLI writes an import to <home>/logs/medtask.log and --verbose echoes it on stderr', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { REPO } = await import('../helpers');
    const home = tempDir();
    const demo = path.join(REPO, 'resources/demo-pack');
    const run = promisify(execFile);
    const { stderr } = await run(
      process.execPath,
      [path.join(REPO, 'scripts/run-ts.cjs'), path.join(REPO, 'src/cli/entry.ts'), '--home', home, '--verbose', 'import', demo, '--json'],
      { cwd: REPO },
    );
    expect(stderr).toMatch(/INFO {2}\[cli\] import finished/);
    const text = fs.readFileSync(logFile(home), 'utf8');
    expect(text).toMatch(/import finished importId="[^"]+" splits=\d+ skipped=0/);
  });
});
