/**
 * Writing a file so that a reader (or a crash) never sees half of it, and so that an existing
 * file is never replaced unless asked: the bytes go to a temporary file in the same folder,
 * are flushed, and then take the target's name in one step.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { quotePath } from './access';
import { BadInputError, DomainError } from '../errors';

export interface AtomicWriteOptions {
  /** Replace an existing regular file; without it an existing file is an error. */
  overwrite?: boolean;
  /** Mode of a new file; exports may hold patient-derived text, so only the owner reads them by default. */
  mode?: number;
}

function existsError(target: string): DomainError {
  return new BadInputError(`out: ${quotePath(target)} already exists; choose another name, or ask to replace it (overwrite: true, CLI --overwrite)`, {
    field: 'out',
    reason: 'exists',
  });
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${crypto.randomBytes(6).toString('hex')}.partial`);
  // 'wx': never follows or reuses a file someone placed at the temporary name.
  const handle = await fs.open(tmp, 'wx', opts.mode ?? 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (opts.overwrite) {
      // rename() replaces a link itself rather than writing through it; refuse one anyway,
      // as checkWrite did, in case it appeared since.
      const st = await fs.lstat(target).catch(() => null);
      if (st && !st.isFile()) throw new BadInputError(`out: ${quotePath(target)} is not a regular file`, { field: 'out' });
      await fs.rename(tmp, target);
    } else {
      // link() fails if the name exists, so a file that appeared since the check is never replaced.
      try {
        await fs.link(tmp, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw existsError(target);
        // File systems without hard links (FAT, some network shares): check, then rename.
        if (
          await fs.lstat(target).then(
            () => true,
            () => false,
          )
        )
          throw existsError(target);
        await fs.rename(tmp, target);
      }
    }
    await syncDir(dir);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** Makes the new name durable (POSIX); folders cannot be opened for sync on Windows. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const h = await fs.open(dir, 'r').catch(() => null);
  if (!h) return;
  try {
    await h.sync().catch(() => undefined);
  } finally {
    await h.close();
  }
}
