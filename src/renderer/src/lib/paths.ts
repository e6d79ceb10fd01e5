import { parsePaths } from './parsePaths';

/** The last `keep` segments of a path, with `…` for the rest; the full path belongs in a title. */
export function shortPath(file: string, keep = 2): string {
  const parts = file.split(/[\\/]/).filter((p) => p !== '');
  if (parts.length <= keep) return file;
  return `…/${parts.slice(-keep).join('/')}`;
}

/** The file name without folder and data extension: the engine's default task name. */
export function fileStem(file: string): string {
  const name =
    file
      .split(/[\\/]/)
      .filter((p) => p !== '')
      .at(-1) ?? file;
  return name.replace(/\.(jsonl?|parquet|csv)$/i, '');
}

/** Paths back into the import box's syntax, quoting those with spaces. */
export function joinPaths(paths: readonly string[]): string {
  return paths.map((p) => (/\s/.test(p) ? (p.includes('"') ? `'${p}'` : `"${p}"`) : p)).join(' ');
}

/** Adds picked paths to what is already typed, each once. */
export function appendPaths(text: string, paths: readonly string[]): string {
  const have = new Set(parsePaths(text));
  const added = joinPaths(paths.filter((p) => !have.has(p)));
  if (added === '') return text;
  return text.trim() === '' ? added : `${text.trimEnd()} ${added}`;
}
