/**
 * The folder listing behind the path pickers, on a real temporary tree and through the
 * contract's dispatch (so the boundary validation is exercised too).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDirectory } from '../../src/core/files/listDirectory';
import { MedtaskCore } from '../../src/core/service';
import { dispatchCall } from '../../src/shared/dispatch';
import type { DirectoryListing } from '../../src/shared/files';
import { tempDir } from '../helpers';

let root: string;

beforeEach(() => {
  root = tempDir('medtask-list-');
  fs.mkdirSync(path.join(root, 'models 2'));
  fs.mkdirSync(path.join(root, 'models 10'));
  fs.mkdirSync(path.join(root, 'Data'));
  fs.writeFileSync(path.join(root, 'b.gguf'), 'x'.repeat(10));
  fs.writeFileSync(path.join(root, 'a.GGUF'), 'x'.repeat(3));
  fs.writeFileSync(path.join(root, 'notes.txt'), 'hello');
  fs.writeFileSync(path.join(root, '.hidden.gguf'), '');
  fs.symlinkSync(path.join(root, 'Data'), path.join(root, 'linked-data'));
  fs.symlinkSync(path.join(root, 'gone'), path.join(root, 'dangling'));
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const names = (l: DirectoryListing) => l.entries.map((e) => `${e.kind}:${e.name}`);

describe('listDirectory', () => {
  it('lists folders first, then files, in natural order, following links and skipping dangling ones', async () => {
    const listing = await listDirectory({ path: root, limit: 100 });
    expect(listing.path).toBe(root);
    expect(listing.parent).toBe(path.dirname(root));
    expect(names(listing)).toEqual(['dir:Data', 'dir:linked-data', 'dir:models 2', 'dir:models 10', 'file:a.GGUF', 'file:b.gguf', 'file:notes.txt']);
    const b = listing.entries.find((e) => e.name === 'b.gguf')!;
    expect(b.size).toBe(10);
    expect(b.path).toBe(path.join(root, 'b.gguf'));
    expect(Date.parse(b.modified!)).toBeGreaterThan(Date.now() - 60_000);
    expect(listing.entries.find((e) => e.name === 'Data')!.size).toBeUndefined();
    expect(listing.truncated).toBe(false);
    expect(listing.places[0]).toEqual({ label: 'Home', path: os.homedir() });
  });

  it('filters files by extension, case-insensitively, keeps folders, and counts what it hid', async () => {
    const listing = await listDirectory({ path: root, extensions: ['.gguf'], limit: 100 });
    expect(names(listing)).toEqual(['dir:Data', 'dir:linked-data', 'dir:models 2', 'dir:models 10', 'file:a.GGUF', 'file:b.gguf']);
    expect(listing.hiddenByFilter).toBe(1);
  });

  it('shows dot-files only when asked', async () => {
    const listing = await listDirectory({ path: root, extensions: ['gguf'], showHidden: true, limit: 100 });
    expect(names(listing)).toContain('file:.hidden.gguf');
  });

  it('lists the folder of a file, cuts at the limit, and stops at the root', async () => {
    const ofFile = await listDirectory({ path: path.join(root, 'notes.txt'), limit: 3 });
    expect(ofFile.path).toBe(root);
    expect(ofFile.entries).toHaveLength(3);
    expect(ofFile.truncated).toBe(true);
    const top = await listDirectory({ path: path.parse(root).root, limit: 10 });
    expect(top.parent).toBeNull();
  });

  it('offers the places where models and datasets are kept, when they exist', async () => {
    const appHome = path.join(root, 'Data');
    const none = await listDirectory({ path: root, limit: 1, home: appHome, env: { HF_HOME: path.join(root, 'no-hf') } });
    expect(none.places.map((p) => p.label)).not.toContain('Hugging Face cache');
    expect(none.places.map((p) => p.label)).not.toContain('Downloaded models');
    fs.mkdirSync(path.join(appHome, 'models'));
    const listing = await listDirectory({ path: root, limit: 1, home: appHome, env: { HF_HOME: path.join(root, 'models 2') } });
    expect(listing.places).toContainEqual({ label: 'Downloaded models', path: path.join(appHome, 'models') });
    expect(listing.places).toContainEqual({ label: 'Hugging Face cache', path: path.join(root, 'models 2') });
  });

  it('expands ~ to the home folder', async () => {
    expect((await listDirectory({ path: '~', limit: 1 })).path).toBe(os.homedir());
    expect((await listDirectory({ limit: 1 })).path).toBe(os.homedir());
  });

  it('names a missing folder in its error and as the path field', async () => {
    const missing = path.join(root, 'nope', 'deeper');
    await expect(listDirectory({ path: missing, limit: 10 })).rejects.toMatchObject({
      domainKind: 'not_found',
      message: `${missing}: no such folder`,
      details: { field: 'path' },
    });
  });
});

describe('listDirectory through the contract', () => {
  it('validates its input at the boundary and offers the data folder as a place', async () => {
    const home = tempDir('medtask-list-home-');
    const core = new MedtaskCore({ home });
    try {
      const bad = await dispatchCall(core.handlers, 'listDirectory', { path: root, extensions: ['g g u f'] });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(bad.ok ? '' : bad.error.message).toContain('extensions.0');
      const ok = await dispatchCall(core.handlers, 'listDirectory', { path: root, extensions: ['gguf'] });
      expect(ok.ok).toBe(true);
      const listing = (ok as { value: DirectoryListing }).value;
      expect(listing.entries.map((e) => e.name)).toContain('b.gguf');
      expect(listing.places).toContainEqual({ label: 'App data', path: home });
    } finally {
      core.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
