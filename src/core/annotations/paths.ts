/**
 * Where annotation exports, imports and reports may read and write. A host that confines file
 * access (browser mode, Electron) passes its policy (`core.files`: checkRead/checkWrite); without
 * one (the CLI: the user typed the path in their own shell) paths are used as given, but a file is
 * still never written through a symlink, onto a folder, or over an existing file unless asked.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BadInputError, NotFoundError } from '../errors';

export interface PathPolicy {
  checkRead(p: string, what: string, opts?: { field?: string }): string;
  checkWrite(p: string, opts: { overwrite?: boolean }): string;
}

export function checkReadPath(policy: PathPolicy | undefined, p: string): string {
  if (p.includes('\0')) throw new BadInputError('file: a path cannot contain a NUL character', { field: 'file' });
  return policy ? policy.checkRead(p, 'annotations file', { field: 'file' }) : path.resolve(p);
}

export function checkWritePath(policy: PathPolicy | undefined, p: string, overwrite: boolean): string {
  if (policy) return policy.checkWrite(p, { overwrite });
  if (p.includes('\0')) throw new BadInputError('out: a path cannot contain a NUL character', { field: 'out' });
  const target = path.resolve(p);
  let st: fs.Stats | null = null;
  try {
    st = fs.lstatSync(target);
  } catch {
    st = null;
  }
  if (st?.isSymbolicLink()) throw new BadInputError(`out: ${target} is a symbolic link; files are never written through links`, { field: 'out' });
  if (st?.isDirectory()) throw new BadInputError(`out: ${target} is a folder; give a file name`, { field: 'out' });
  if (st && !overwrite) throw new BadInputError(`out: ${target} already exists; choose another name or ask to replace it`, { field: 'out' });
  if (!fs.existsSync(path.dirname(target))) throw new NotFoundError(`out: the folder ${path.dirname(target)} does not exist`, { field: 'out' });
  return target;
}

/** Temporary file beside the target, then one rename: a reader never sees half a file. */
export function writeWhole(target: string, text: string): number {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${crypto.randomBytes(6).toString('hex')}.partial`);
  fs.writeFileSync(tmp, text, { flag: 'wx', mode: 0o600 });
  try {
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return Buffer.byteLength(text);
}
