/**
 * Which paths a file-facing call may read or write: the policy every host hands the core. In
 * browser mode and in Electron (`confine: true`) a call can come from a page the user did not
 * write, so reads stay inside the user's home, the data directory and `--allow-dir` folders, and
 * writes go only into `<data dir>/exports`, an `--allow-dir` folder or a path the user picked in
 * a native dialog. The CLI is not confined (the user typed the path in their own shell), but it
 * still never writes through a symlink or over a file without being asked to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BadInputError, NotFoundError } from '../errors';

export interface FileAccessOptions {
  /** true in browser mode (web host) and Electron; false for the CLI (the user typed the path in their own shell). */
  confine: boolean;
  /** Extra folders the user allowed (`medtask serve --allow-dir DIR`, repeatable). */
  allowDirs?: string[];
  /** The user's home folder (default `os.homedir()`); tests point it at a temporary folder. */
  userHome?: string;
  /** Where HF_HOME is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Exports land here in browser mode when the user named no allowed folder. */
export const EXPORTS_DIR = 'exports';

/** Longest piece of a caller's path quoted back in an error (a path may be megabytes of input). */
const MAX_QUOTED = 300;

export function quotePath(p: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not be echoed
  const clean = p.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > MAX_QUOTED ? `${clean.slice(0, MAX_QUOTED)}…` : clean;
}

function expandHome(p: string, userHome: string): string {
  return p === '~' || p.startsWith('~/') || p.startsWith(`~${path.sep}`) ? path.join(userHome, p.slice(1)) : p;
}

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

/** True when `child` is `parent` or below it (both absolute, already resolved). */
export function isInside(child: string, parent: string): boolean {
  const a = caseInsensitive ? child.toLowerCase() : child;
  const b = caseInsensitive ? parent.toLowerCase() : parent;
  const rel = path.relative(b, a);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function hasHiddenPart(rel: string): boolean {
  return rel.split(/[\\/]/).some((s) => s.startsWith('.') && s !== '.' && s !== '..');
}

/**
 * The real path of `p` (absolute, lexically normalised): symlinks resolved for the part that
 * exists, the missing rest appended. A missing file inside an allowed folder is then reported as
 * missing by the call itself, and one outside is refused without saying whether it exists.
 */
export function realpathDeep(p: string): string {
  const tail: string[] = [];
  let cur = p;
  for (;;) {
    try {
      const real = fs.realpathSync.native(cur);
      return tail.length ? path.join(real, ...tail.reverse()) : real;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const parent = path.dirname(cur);
      // ENOENT/ENOTDIR: walk up to what exists. A loop or permission error: judge the path as written.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === cur) return p;
      tail.push(path.basename(cur));
      cur = parent;
    }
  }
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

export class FileAccess {
  readonly home: string;
  readonly confine: boolean;
  readonly userHome: string;
  /** The --allow-dir folders as given (resolved), and their real paths. */
  readonly allowDirs: readonly string[];
  private readonly realAllowDirs: string[];
  private readonly readGrants = new Set<string>();
  private readonly writeGrants = new Set<string>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(home: string, opts: FileAccessOptions) {
    this.home = path.resolve(home);
    this.confine = opts.confine;
    this.userHome = path.resolve(opts.userHome ?? os.homedir());
    this.env = opts.env ?? process.env;
    this.allowDirs = (opts.allowDirs ?? []).map((d) => path.resolve(expandHome(d, this.userHome)));
    this.realAllowDirs = this.allowDirs.map((d) => {
      let s: fs.Stats;
      try {
        s = fs.statSync(d);
      } catch {
        throw new BadInputError(`--allow-dir ${quotePath(d)}: no such folder`, { field: 'allowDir' });
      }
      if (!s.isDirectory()) throw new BadInputError(`--allow-dir ${quotePath(d)}: not a folder`, { field: 'allowDir' });
      return fs.realpathSync.native(d);
    });
  }

  /** `<data dir>/exports`, where browser-mode exports go. */
  get exportsDir(): string {
    return path.join(this.home, EXPORTS_DIR);
  }

  /** Folders a picker may offer (home, data dir, allow-dirs). */
  roots(): string[] {
    return [...new Set([this.userHome, this.home, ...this.allowDirs])];
  }

  /**
   * A caller's path made absolute the way every call reads it: `~` is the user's home; a
   * relative path is relative to the home folder when confined (the server's working folder
   * means nothing to a browser), else to the working folder.
   */
  resolveRead(p: string): string {
    return path.resolve(this.confine ? this.userHome : process.cwd(), expandHome(p, this.userHome));
  }

  /** As resolveRead, but a relative path is inside `<data dir>/exports` when confined. */
  resolveWrite(p: string): string {
    return path.resolve(this.confine ? this.exportsDir : process.cwd(), expandHome(p, this.userHome));
  }

  /** Folders that hold models though hidden (Hugging Face's hub cache, LM Studio's models). */
  private modelCaches(): string[] {
    const hf = this.env.HF_HOME ? path.resolve(this.env.HF_HOME) : path.join(this.userHome, '.cache', 'huggingface');
    return [path.join(hf, 'hub'), path.join(this.userHome, '.lmstudio', 'models'), path.join(this.userHome, '.cache', 'lm-studio', 'models')].map(realOrSelf);
  }

  private readRoots(): string[] {
    return [realOrSelf(this.userHome), realOrSelf(this.home), ...this.realAllowDirs];
  }

  /** Why `real` (a real path) may not be read, or null when it may. */
  private readRefusal(real: string, lexical: string, hidden: boolean): string | null {
    if (!this.confine) return null;
    for (const g of this.readGrants) if (isInside(real, g)) return null;
    if (this.modelCaches().some((c) => isInside(real, c))) return null;
    const roots = this.readRoots();
    const containing = roots.filter((r) => isInside(real, r));
    if (containing.length === 0) return 'outside';
    if (hidden) return null;
    // Hidden below the root it is in (a root may itself sit in a hidden folder, like ~/.local/share).
    const visible = containing.some((r) => !hasHiddenPart(path.relative(r, real)));
    const lexicalRoots = roots.filter((r) => isInside(lexical, r));
    const lexicalVisible = lexicalRoots.length === 0 || lexicalRoots.some((r) => !hasHiddenPart(path.relative(r, lexical)));
    return visible && lexicalVisible ? null : 'hidden';
  }

  /** True when checkRead would accept `p` (used to leave unreachable entries out of listings). */
  canRead(p: string, opts: { hidden?: boolean } = {}): boolean {
    const lexical = this.resolveRead(p);
    return this.readRefusal(realpathDeep(lexical), lexical, opts.hidden ?? false) === null;
  }

  /**
   * Resolves symlinks and checks the path is readable under the policy; returns the real path or
   * throws a typed 4xx error (no file contents in the message). `hidden` allows dot-folders
   * (the picker's "show hidden").
   */
  checkRead(p: string, what: string, opts: { hidden?: boolean; field?: string } = {}): string {
    if (p.includes('\0')) throw new BadInputError(`${what}: a path cannot contain a NUL character`, opts.field ? { field: opts.field } : undefined);
    const lexical = this.resolveRead(p);
    const real = realpathDeep(lexical);
    const refusal = this.readRefusal(real, lexical, opts.hidden ?? false);
    if (refusal === null) return real;
    const details: Record<string, string> = { reason: refusal === 'outside' ? 'outside_allowed_folders' : 'hidden_path' };
    if (opts.field) details.field = opts.field;
    if (refusal === 'outside') {
      throw new BadInputError(
        `${what} ${quotePath(p)} is outside the folders this host may read (your home folder, the data folder and folders given with --allow-dir); start the host with --allow-dir FOLDER to allow another folder`,
        details,
      );
    }
    throw new BadInputError(`${what} ${quotePath(p)} is in a hidden folder or is a hidden file; in browser mode such paths are not read`, details);
  }

  /**
   * checkRead for a folder given to an import or a model scan, and for every symlink in it that
   * the walk would follow: a link inside an allowed folder that points out of it is refused. The
   * walk skips what the importers skip (dot-names); `limit` bounds its cost.
   */
  async checkTree(p: string, what: string, opts: { field?: string; limit?: number } = {}): Promise<string> {
    const real = this.checkRead(p, what, opts);
    if (!this.confine) return real;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(real);
    } catch {
      return real; // missing: the call reports it
    }
    if (!stat.isDirectory()) return real;
    let budget = opts.limit ?? 200_000;
    const walk = async (dir: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        if (--budget < 0)
          throw new BadInputError(
            `${what} ${quotePath(p)} holds too many files to check in browser mode; import a smaller folder`,
            opts.field ? { field: opts.field } : undefined,
          );
        const full = path.join(dir, e.name);
        if (e.isSymbolicLink()) this.checkRead(full, `${what}: the link`, opts);
        else if (e.isDirectory()) await walk(full);
      }
    };
    await walk(real);
    return real;
  }

  /**
   * For writes: parent must be inside <home>/exports, an --allow-dir folder, or a path granted by
   * grantWrite; refuses an existing file unless overwrite, and always refuses to write through a
   * symlink or onto a folder. Returns the resolved target path (the parent's real path + name).
   */
  checkWrite(p: string, opts: { overwrite?: boolean }): string {
    if (p.includes('\0')) throw new BadInputError('out: a path cannot contain a NUL character', { field: 'out' });
    const lexical = this.resolveWrite(p);
    const name = path.basename(lexical);
    if (name === '' || name === '.' || name === '..' || /[\\/]$/.test(p))
      throw new BadInputError(`out: ${quotePath(p)} names a folder; give a file name`, { field: 'out' });
    const parent = path.dirname(lexical);
    if (this.confine && isInside(parent, this.exportsDir)) fs.mkdirSync(this.exportsDir, { recursive: true, mode: 0o700 });
    let realParent: string;
    try {
      realParent = fs.realpathSync.native(parent);
      if (!fs.statSync(realParent).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch {
      throw new NotFoundError(`out: the folder ${quotePath(parent)} does not exist`, { field: 'out' });
    }
    const target = path.join(realParent, name);
    if (this.confine) {
      const writeRoots = [realOrSelf(this.exportsDir), ...this.realAllowDirs];
      const granted = this.writeGrants.has(target) || [...this.writeGrants].some((g) => isInside(realParent, g) && isDir(g));
      const root = writeRoots.find((r) => isInside(realParent, r));
      if (!granted && !root) {
        throw new BadInputError(
          `out: ${quotePath(p)} is outside the folders this host may write (${this.exportsDir}, and folders given with --allow-dir); a relative name is written into ${this.exportsDir}`,
          { field: 'out', reason: 'outside_allowed_folders' },
        );
      }
      if (!granted && root && hasHiddenPart(path.relative(root, target))) {
        throw new BadInputError(`out: ${quotePath(p)} is a hidden file or in a hidden folder; in browser mode such paths are not written`, {
          field: 'out',
          reason: 'hidden_path',
        });
      }
    }
    let existing: fs.Stats | null = null;
    try {
      existing = fs.lstatSync(target);
    } catch {
      existing = null;
    }
    if (existing) {
      if (existing.isSymbolicLink())
        throw new BadInputError(`out: ${quotePath(target)} is a symbolic link; exports are never written through links`, { field: 'out', reason: 'symlink' });
      if (existing.isDirectory()) throw new BadInputError(`out: ${quotePath(target)} is a folder; give a file name`, { field: 'out' });
      if (!existing.isFile()) throw new BadInputError(`out: ${quotePath(target)} is not a regular file`, { field: 'out' });
      if (!opts.overwrite) {
        throw new BadInputError(`out: ${quotePath(target)} already exists; choose another name, or ask to replace it (overwrite: true, CLI --overwrite)`, {
          field: 'out',
          reason: 'exists',
        });
      }
    }
    return target;
  }

  /** The Electron host calls this after the user answered a native save/open dialog. One path, one grant. */
  grant(p: string, mode: 'read' | 'write'): void {
    const abs = path.resolve(p);
    if (mode === 'read') this.readGrants.add(realpathDeep(abs));
    else this.writeGrants.add(isDir(abs) ? realOrSelf(abs) : path.join(realOrSelf(path.dirname(abs)), path.basename(abs)));
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
