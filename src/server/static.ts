/** The built renderer's files, served from one folder and never from outside it. */
import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

/** Serves a file from `root`, never outside it; unknown routes get the app shell (client-side routing). */
export function serveStatic(root: string, pathname: string, res: ServerResponse): void {
  const rootResolved = path.resolve(root);
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400).end('bad path');
    return;
  }
  let file = path.resolve(rootResolved, `.${rel}`);
  if (file !== rootResolved && !file.startsWith(rootResolved + path.sep)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    if (path.extname(rel)) {
      res.writeHead(404).end('not found');
      return;
    }
    file = path.join(rootResolved, 'index.html');
  }
  if (!fs.existsSync(file)) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`renderer not built: ${file} is missing (run npm run build)`);
    return;
  }
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const cache = file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  const stream = fs.createReadStream(file);
  // The file can vanish between the check and the read (a rebuild): answer, never crash.
  stream.on('error', () => {
    if (!res.headersSent) res.writeHead(404).end('not found');
    else res.destroy();
  });
  stream.once('open', () => {
    res.writeHead(200, { 'content-type': type, 'cache-control': cache });
    stream.pipe(res);
  });
}
