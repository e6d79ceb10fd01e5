/**
 * Path confinement of every file-facing call (issue 12, items 5 and 6), on a real core over
 * real files, through the contract's dispatch as the web host calls it: `..`, absolute paths
 * outside the allowed folders, symlinks that lead out, hidden files, overwriting, atomic
 * writes, and errors that never quote a file's bytes. The number of attempts per call prints.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAccess } from '../../src/core/files/access';
import { writeFileAtomic } from '../../src/core/files/atomicWrite';
import { MedtaskCore } from '../../src/core/service';
import type { CallName } from '../../src/shared/contract';
import { dispatchCall } from '../../src/shared/dispatch';
import type { ApiErrorData, Envelope } from '../../src/shared/errors';
import { tempDir } from '../helpers';

const SECRET = 'TOPSECRET-4f2a';
const attempts = new Map<string, { refused: number; allowed: number }>();

let userHome: string; // the user's home folder, as the policy sees it
let home: string; // the data directory
let allowed: string; // an --allow-dir folder
let outside: string; // somewhere none of them reaches
let core: MedtaskCore;
let runId: number;

function count(call: string, kind: 'refused' | 'allowed') {
  const c = attempts.get(call) ?? { refused: 0, allowed: 0 };
  c[kind] += 1;
  attempts.set(call, c);
}

async function call(name: CallName, input: unknown): Promise<Envelope<unknown>> {
  return dispatchCall(core.handlers, name, input);
}

/** The call must be refused by the policy: a 4xx-class code, the reason, and nothing of the file. */
async function refused(
  name: CallName,
  input: unknown,
  reason: 'outside_allowed_folders' | 'hidden_path' | 'symlink' | 'exists' = 'outside_allowed_folders',
): Promise<ApiErrorData> {
  const res = await call(name, input);
  expect(res.ok, `${name} ${JSON.stringify(input)} was accepted`).toBe(false);
  const error = (res as { error: ApiErrorData }).error;
  const what = `${name} ${JSON.stringify(input)}: ${error.message}`;
  expect(error.code, what).toBe('invalid_input');
  expect(error.details?.reason, what).toBe(reason);
  expect(error.message).not.toContain(SECRET);
  expect(error.message.length).toBeLessThan(1000);
  count(name, 'refused');
  return error;
}

function mkfile(p: string, text: string): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

/** A MedINST32 results file with two PubMedQA answers: importable as a run. */
function predictions(p: string): string {
  return mkfile(
    p,
    JSON.stringify({
      QA: {
        'PubMedQA-labeled': {
          generated: [
            { prediction: 'yes', target: 'yes' },
            { prediction: 'no', target: 'yes' },
          ],
        },
      },
    }),
  );
}

beforeAll(async () => {
  userHome = tempDir('medtask-userhome-');
  home = tempDir('medtask-datadir-');
  allowed = tempDir('medtask-allowed-');
  outside = tempDir('medtask-outside-');
  // Outside: what an attacker would like to read or overwrite.
  mkfile(path.join(outside, 'secret.txt'), `${SECRET}\nsecond line\n`);
  mkfile(path.join(outside, 'secret.gguf'), `${SECRET} not a model`);
  predictions(path.join(outside, 'preds.json'));
  mkfile(path.join(outside, 'victim.csv'), 'do not overwrite\n');
  // Inside the user's home: a normal file, hidden ones, and links that lead out.
  predictions(path.join(userHome, 'work', 'preds.json'));
  mkfile(path.join(userHome, 'work', 'notes.gguf'), `${SECRET} is what this file starts with`);
  mkfile(path.join(userHome, '.ssh', 'id_rsa'), `${SECRET} private key`);
  predictions(path.join(userHome, '.hidden-preds.json'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(userHome, 'work', 'link-to-secret.json'));
  fs.symlinkSync(path.join(outside, 'secret.gguf'), path.join(userHome, 'work', 'link-to-secret.gguf'));
  fs.symlinkSync(outside, path.join(userHome, 'work', 'linked-outside'));
  fs.symlinkSync(path.join(userHome, '.ssh'), path.join(userHome, 'work', 'keys'));
  // A folder to import that holds a link out.
  predictions(path.join(userHome, 'bench', 'ok.json'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(userHome, 'bench', 'sneaky.json'));
  predictions(path.join(allowed, 'preds.json'));
  core = new MedtaskCore({ home, fileAccess: { confine: true, allowDirs: [allowed], userHome } });
  const run = await call('importPredictions', { file: path.join(allowed, 'preds.json') });
  expect(run.ok).toBe(true);
  runId = (run as { value: { id: number } }).value.id;
});

afterAll(() => {
  core?.close();
  for (const d of [userHome, home, allowed, outside]) if (d) fs.rmSync(d, { recursive: true, force: true });
  const rows = [...attempts.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.reduce((n, [, c]) => n + c.refused + c.allowed, 0);
  console.log(
    `path confinement: ${total} attempts over ${rows.length} calls\n${rows.map(([name, c]) => `  ${name.padEnd(18)} ${String(c.refused).padStart(3)} refused  ${String(c.allowed).padStart(3)} allowed`).join('\n')}`,
  );
});

/** The paths every read call is tried with; each must be refused. */
function hostileReads(file: string): { p: string; reason: 'outside_allowed_folders' | 'hidden_path' }[] {
  const ext = path.extname(file);
  return [
    { p: path.join(outside, `secret${ext === '.gguf' ? '.gguf' : '.txt'}`), reason: 'outside_allowed_folders' },
    { p: '/etc/passwd', reason: 'outside_allowed_folders' },
    { p: path.join(userHome, 'work', '..', '..', path.basename(outside), `secret${ext === '.gguf' ? '.gguf' : '.txt'}`), reason: 'outside_allowed_folders' },
    { p: `${home}/../${path.basename(outside)}/secret.txt`, reason: 'outside_allowed_folders' },
    { p: path.join(userHome, 'work', ext === '.gguf' ? 'link-to-secret.gguf' : 'link-to-secret.json'), reason: 'outside_allowed_folders' },
    { p: path.join(userHome, 'work', 'linked-outside', 'secret.txt'), reason: 'outside_allowed_folders' },
    { p: path.join(userHome, '.ssh', 'id_rsa'), reason: 'hidden_path' },
    { p: path.join(userHome, 'work', 'keys', 'id_rsa'), reason: 'hidden_path' },
    { p: '~/.ssh/id_rsa', reason: 'hidden_path' },
    { p: '../../../../../../etc/passwd', reason: 'outside_allowed_folders' },
  ];
}

describe('reads are confined to home, data dir and --allow-dir folders', () => {
  it('listDirectory: only allowed folders, hidden ones only on request, links out left out, places are the roots', async () => {
    for (const p of [
      '/',
      '/etc',
      outside,
      path.join(userHome, '..'),
      path.join(userHome, 'work', 'linked-outside'),
      `${allowed}/../${path.basename(outside)}`,
    ]) {
      await refused('listDirectory', { path: p });
    }
    await refused('listDirectory', { path: path.join(userHome, '.ssh') }, 'hidden_path');
    await refused('listDirectory', { path: path.join(userHome, 'work', 'keys') }, 'hidden_path');

    const work = await call('listDirectory', { path: path.join(userHome, 'work') });
    expect(work.ok).toBe(true);
    count('listDirectory', 'allowed');
    const listing = (work as { value: { entries: { name: string }[]; places: { path: string }[]; parent: string | null } }).value;
    const names = listing.entries.map((e) => e.name);
    expect(names).toContain('notes.gguf');
    expect(names).not.toContain('link-to-secret.json');
    expect(names).not.toContain('linked-outside');
    expect(names).not.toContain('keys'); // leads into a hidden folder
    expect(listing.places.map((p) => p.path).sort()).toEqual([userHome, home, allowed].sort());
    expect(listing.places.map((p) => p.path)).not.toContain('/');

    const top = await call('listDirectory', { path: userHome });
    count('listDirectory', 'allowed');
    const topListing = (top as { value: { entries: { name: string }[]; parent: string | null } }).value;
    expect(topListing.parent).toBeNull(); // no way up out of a root
    expect(topListing.entries.map((e) => e.name)).not.toContain('.ssh');
    const shown = await call('listDirectory', { path: userHome, showHidden: true });
    count('listDirectory', 'allowed');
    expect((shown as { value: { entries: { name: string }[] } }).value.entries.map((e) => e.name)).toContain('.ssh');
    const defaultListing = await call('listDirectory', {});
    count('listDirectory', 'allowed');
    expect((defaultListing as { value: { path: string } }).value.path).toBe(userHome);
  });

  it('previewImport and importPaths: files, folders holding links out, `..`, hidden files', async () => {
    for (const name of ['previewImport', 'importPaths'] as const) {
      for (const { p, reason } of hostileReads('x.json')) await refused(name, { paths: [p] }, reason);
      // One bad path among good ones refuses the whole call.
      await refused(name, { paths: [path.join(userHome, 'work', 'preds.json'), path.join(outside, 'secret.txt')] });
      const err = await refused(name, { paths: [path.join(userHome, 'bench')] });
      expect(err.message).toContain('sneaky.json');
      await refused(name, { paths: [path.join(userHome, '.hidden-preds.json')] }, 'hidden_path');
    }
    // The policy lets through what is inside: the importer then judges the file (not a benchmark layout here).
    const inside = await call('previewImport', { paths: [path.join(allowed, 'preds.json')] });
    count('previewImport', 'allowed');
    expect(inside.ok ? undefined : (inside as { error: ApiErrorData }).error.details?.reason).toBeUndefined();
  });

  it('importPredictions', async () => {
    for (const { p, reason } of hostileReads('x.json')) await refused('importPredictions', { file: p }, reason);
    await refused('importPredictions', { file: path.join(outside, 'preds.json') });
    await refused('importPredictions', { file: path.join(userHome, '.hidden-preds.json') }, 'hidden_path');
    for (const p of [path.join(userHome, 'work', 'preds.json'), '~/work/preds.json', 'work/preds.json']) {
      const ok = await call('importPredictions', { file: p });
      expect(ok.ok, JSON.stringify(ok)).toBe(true);
      count('importPredictions', 'allowed');
    }
  });

  it('model calls: inspectModel, addModels, loadModel, generate, createRun, preflightRun', async () => {
    for (const { p, reason } of hostileReads('x.gguf')) {
      await refused('inspectModel', { path: p }, reason);
      await refused('addModels', { paths: [p] }, reason);
      await refused('loadModel', { path: p, loadId: 'l1' }, reason);
      await refused('generate', { model: p, prompt: 'hi' }, reason);
      await refused('generate', { model: path.join(userHome, 'work', 'notes.gguf'), adapters: [{ path: p }], prompt: 'hi' }, reason);
      await refused('createRun', localRun(p), reason);
      await refused('preflightRun', localRun(p), reason);
      await refused(
        'createRun',
        {
          ...localRun(path.join(userHome, 'work', 'notes.gguf')),
          model: { kind: 'local', path: path.join(userHome, 'work', 'notes.gguf'), loras: [{ path: p }] },
        },
        reason,
      );
    }
    await refused('addModels', { paths: [path.join(userHome, 'bench')] }); // the folder holds a link out
    // `link/..` is read as written, lexically: the folder that holds the link, never the link target's parent.
    const lexical = await call('importPredictions', { file: path.join(userHome, 'work', 'linked-outside', '..', 'preds.json') });
    count('importPredictions', 'allowed');
    expect(lexical.ok).toBe(true);
  });

  it('errors of model calls never quote the file they read', async () => {
    const notModel = path.join(userHome, 'work', 'notes.gguf');
    for (const [name, input] of [
      ['inspectModel', { path: notModel }],
      ['addModels', { paths: [notModel] }],
      ['generate', { model: notModel, prompt: 'hi', maxTokens: 1 }],
      ['loadModel', { path: notModel, loadId: 'scrub' }],
    ] as const) {
      const res = await call(name, input);
      count(name, 'allowed');
      expect(res.ok).toBe(false);
      const error = (res as { error: ApiErrorData }).error;
      expect(error.details?.reason).toBeUndefined(); // not refused by the policy: read, and failed
      expect(error.message).not.toContain(SECRET.slice(0, 4));
      expect(error.message).toContain('notes.gguf');
    }
  });
});

function localRun(modelPath: string) {
  return {
    model: { kind: 'local', path: modelPath },
    template: { strategy: 'zero-shot' },
    decoding: { maxTokens: 4, temperature: 0 },
    selection: { taskIds: [1] },
  };
}

describe('exportRun writes only where the user chose', () => {
  const exportsDir = () => path.join(home, 'exports');
  const out = (p: string, extra: Record<string, unknown> = {}) => ({ runId, format: 'items-csv', out: p, ...extra });

  it('refuses paths outside exports/ and --allow-dir folders, `..`, links, hidden names', async () => {
    for (const p of [
      path.join(outside, 'new.csv'),
      path.join(outside, 'victim.csv'),
      path.join(userHome, 'work', 'export.csv'), // readable is not writable
      path.join(home, 'library-copy.csv'), // the data dir itself holds the databases
      '../library.sqlite',
      '../../x.csv',
      `${exportsDir()}/../../${path.basename(outside)}/new.csv`,
      path.join(allowed, '..', path.basename(outside), 'new.csv'),
      '/etc/cron.d/x',
      '/tmp/x.csv',
    ]) {
      await refused('exportRun', out(p));
      await refused('exportRun', out(p, { overwrite: true }));
    }
    expect(fs.readFileSync(path.join(outside, 'victim.csv'), 'utf8')).toBe('do not overwrite\n');
    // A folder link inside exports/ that leads out, and a file link that does.
    fs.mkdirSync(exportsDir(), { recursive: true });
    fs.symlinkSync(outside, path.join(exportsDir(), 'out-dir'));
    fs.symlinkSync(path.join(outside, 'victim.csv'), path.join(exportsDir(), 'victim-link.csv'));
    fs.symlinkSync(path.join(allowed, 'target.csv'), path.join(allowed, 'inside-link.csv'));
    await refused('exportRun', out('out-dir/new.csv'));
    await refused('exportRun', out('victim-link.csv', { overwrite: true }), 'symlink');
    await refused('exportRun', out(path.join(allowed, 'inside-link.csv'), { overwrite: true }), 'symlink');
    await refused('exportRun', out('.bashrc'), 'hidden_path');
    fs.mkdirSync(path.join(allowed, '.ssh'));
    await refused('exportRun', out(path.join(allowed, '.ssh', 'authorized_keys')), 'hidden_path');
    expect(fs.readFileSync(path.join(outside, 'victim.csv'), 'utf8')).toBe('do not overwrite\n');
    expect(fs.existsSync(path.join(outside, 'new.csv'))).toBe(false);
    expect(fs.existsSync(path.join(allowed, 'target.csv'))).toBe(false);
  });

  it('writes a relative name into <data dir>/exports (0700), and into --allow-dir folders', async () => {
    fs.rmSync(exportsDir(), { recursive: true, force: true });
    const res = await call('exportRun', out('run.csv'));
    count('exportRun', 'allowed');
    expect(res.ok, JSON.stringify(res)).toBe(true);
    const file = (res as { value: { file: string } }).value.file;
    expect(file).toBe(path.join(exportsDir(), 'run.csv'));
    if (process.platform !== 'win32') {
      expect(fs.statSync(exportsDir()).mode & 0o777).toBe(0o700);
      expect(fs.statSync(file).mode & 0o077).toBe(0);
    }
    expect(fs.readFileSync(file, 'utf8')).toContain('PubMedQA-labeled');
    const there = await call('exportRun', out(path.join(allowed, 'run.csv')));
    count('exportRun', 'allowed');
    expect(there.ok).toBe(true);
  });

  it('never overwrites without overwrite: true; with it, replaces the file by rename', async () => {
    const target = path.join(allowed, 'again.csv');
    fs.writeFileSync(target, 'old contents\n');
    const before = fs.statSync(target).ino;
    await refused('exportRun', out(target), 'exists');
    await refused('exportRun', out('run.csv'), 'exists');
    expect(fs.readFileSync(target, 'utf8')).toBe('old contents\n');
    const res = await call('exportRun', out(target, { overwrite: true }));
    count('exportRun', 'allowed');
    expect(res.ok).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toContain('PubMedQA-labeled');
    expect(fs.statSync(target).ino).not.toBe(before); // a new file took the name: never half-written in place
    const leftovers = [...fs.readdirSync(allowed), ...fs.readdirSync(exportsDir())].filter((n) => n.endsWith('.partial'));
    expect(leftovers).toEqual([]);
  });

  it('a path the user picked in a native dialog (Electron grant) is writable, and only that one', async () => {
    const picked = path.join(outside, 'picked.csv');
    core.files.grant(picked, 'write');
    const res = await call('exportRun', out(picked));
    count('exportRun', 'allowed');
    expect(res.ok).toBe(true);
    await refused('exportRun', out(path.join(outside, 'other.csv')));
    const readGrant = path.join(outside, 'preds.json');
    core.files.grant(readGrant, 'read');
    expect((await call('importPredictions', { file: readGrant })).ok).toBe(true);
    count('importPredictions', 'allowed');
    await refused('importPredictions', { file: path.join(outside, 'secret.txt') });
  });
});

describe('the atomic writer', () => {
  it('leaves an existing file whole when told not to overwrite, even if it appears after the check', async () => {
    const dir = tempDir('medtask-atomic-');
    try {
      const target = path.join(dir, 'x.csv');
      fs.writeFileSync(target, 'first');
      await expect(writeFileAtomic(target, 'second')).rejects.toMatchObject({ domainKind: 'invalid_input', details: { reason: 'exists' } });
      expect(fs.readFileSync(target, 'utf8')).toBe('first');
      await writeFileAtomic(target, 'third', { overwrite: true });
      expect(fs.readFileSync(target, 'utf8')).toBe('third');
      await writeFileAtomic(path.join(dir, 'new.csv'), 'fresh');
      expect(fs.readdirSync(dir).sort()).toEqual(['new.csv', 'x.csv']);
      count('writeFileAtomic', 'allowed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the CLI (unconfined) still refuses to overwrite or write through links', () => {
  it('exportRun from an unconfined core', async () => {
    const cliHome = tempDir('medtask-cli-home-');
    const cli = new MedtaskCore({ home: cliHome });
    try {
      const run = await dispatchCall(cli.handlers, 'importPredictions', { file: path.join(allowed, 'preds.json') });
      const id = (run as { value: { id: number } }).value.id;
      const target = path.join(outside, 'cli.csv');
      expect((await dispatchCall(cli.handlers, 'exportRun', { runId: id, format: 'items-csv', out: target })).ok).toBe(true);
      const again = await dispatchCall(cli.handlers, 'exportRun', { runId: id, format: 'items-csv', out: target });
      expect(again).toMatchObject({ ok: false, error: { code: 'invalid_input', details: { reason: 'exists' } } });
      expect((await dispatchCall(cli.handlers, 'exportRun', { runId: id, format: 'items-csv', out: target, overwrite: true })).ok).toBe(true);
      fs.symlinkSync(path.join(outside, 'victim.csv'), path.join(outside, 'cli-link.csv'));
      const link = await dispatchCall(cli.handlers, 'exportRun', { runId: id, format: 'items-csv', out: path.join(outside, 'cli-link.csv'), overwrite: true });
      expect(link).toMatchObject({ ok: false, error: { details: { reason: 'symlink' } } });
      expect(fs.readFileSync(path.join(outside, 'victim.csv'), 'utf8')).toBe('do not overwrite\n');
      count('exportRun (CLI)', 'refused');
      count('exportRun (CLI)', 'refused');
      count('exportRun (CLI)', 'allowed');
    } finally {
      cli.close();
      fs.rmSync(cliHome, { recursive: true, force: true });
    }
  });

  it('an --allow-dir that does not exist stops the host from starting', () => {
    expect(() => new FileAccess(home, { confine: true, allowDirs: [path.join(outside, 'nope')] })).toThrow(/--allow-dir .*no such folder/);
  });
});
