/**
 * A real HTTP server for one file, with Range support and a throttle, so that downloads can be
 * watched, cancelled half-way and resumed in tests without the internet; and, to test a network
 * that fails, a cut: after `cut.bytes` of each response it falls silent or drops the connection.
 */
import fs from 'node:fs';
import http from 'node:http';

export interface FileServer {
  url: (name: string) => string;
  /** Every request as "METHOD range", in order. */
  requests: string[];
  close: () => Promise<void>;
}

export interface ServeFileOptions {
  chunkBytes?: number;
  delayMs?: number;
  /** After this many bytes of a response: 'hang' keeps the connection open and sends nothing more; 'drop' closes it. */
  cut?: { bytes: number; then: 'hang' | 'drop' };
}

export async function serveFile(file: string, opts: ServeFileOptions = {}): Promise<FileServer> {
  const size = fs.statSync(file).size;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.headers.range ?? '-'}`);
    const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m?.[2] ? Number(m[2]) : size - 1;
    res.writeHead(m ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
      'content-length': end - start + 1,
      ...(m ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    const stream = fs.createReadStream(file, { start, end, highWaterMark: opts.chunkBytes ?? 64 * 1024 });
    let sent = 0;
    stream.on('data', (chunk) => {
      stream.pause();
      res.write(chunk);
      sent += chunk.length;
      if (opts.cut && sent >= opts.cut.bytes) {
        stream.destroy();
        if (opts.cut.then === 'drop') setTimeout(() => res.socket?.destroy(), 50);
        return;
      }
      setTimeout(() => stream.resume(), opts.delayMs ?? 0);
    });
    stream.on('end', () => res.end());
    res.on('close', () => stream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/files/${name}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
