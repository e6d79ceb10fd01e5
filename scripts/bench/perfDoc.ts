import fs from 'node:fs';
import path from 'node:path';

/** Replaces (or appends) one `## heading` section of docs/PERFORMANCE.md, keeping the others. */
export function writePerfSection(heading: string, body: string, file = path.resolve('docs/PERFORMANCE.md')): void {
  const title = '# Performance\n\nFigures measured by the `npm run bench:*` scripts; each section says the command and machine.\n';
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : title;
  const start = text.indexOf(`\n## ${heading}\n`);
  const section = `\n## ${heading}\n\n${body.trim()}\n`;
  let next: string;
  if (start < 0) next = `${text.trimEnd()}\n${section}`;
  else {
    const after = text.indexOf('\n## ', start + 1);
    next = text.slice(0, start) + section + (after < 0 ? '' : text.slice(after));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, next);
}
