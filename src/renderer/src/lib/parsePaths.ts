/**
 * Splits the import box into paths. Whitespace and newlines separate paths; a path that
 * itself contains spaces can be wrapped in single or double quotes, as in a shell.
 */
export function parsePaths(text: string): string[] {
  const paths: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const path = match[1] ?? match[2] ?? match[3] ?? '';
    if (path.length > 0) paths.push(path);
  }
  return paths;
}
