/**
 * `medtask serve`: the app in a browser. Loopback and plain HTTP by default; any other address only
 * with --allow-remote and TLS, with a warning. File access is confined to the home folder, the
 * data directory and the folders given with --allow-dir, since the page is not the user's shell.
 */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { checkBind, isLoopback, loadTls, selfSignedTls, type TlsMaterial } from '../../server/bind';
import { startWebHost, type WebHost } from '../../server/host';
import { appRoot, openCore } from '../core';

interface ServeOptions {
  port: number;
  host: string;
  allowRemote?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  tlsSelfSigned?: boolean;
  allowDir: string[];
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, path.resolve(value)];
}

function rendererDir(): string {
  return process.env.MEDTASK_RENDERER_DIR ?? path.join(appRoot(), 'out/renderer');
}

async function tlsFor(opts: ServeOptions): Promise<TlsMaterial | undefined> {
  if (opts.tlsSelfSigned && (opts.tlsCert || opts.tlsKey)) throw new Error('give either --tls-self-signed or --tls-cert/--tls-key, not both');
  if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) throw new Error('--tls-cert and --tls-key go together');
  if (opts.tlsCert && opts.tlsKey) return loadTls(opts.tlsCert, opts.tlsKey);
  if (opts.tlsSelfSigned) return selfSignedTls(opts.host);
  return undefined;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the app to a local browser (127.0.0.1, token-protected)')
    .option('--port <n>', 'port (0 picks a free one)', port, 5173)
    .option('--host <host>', 'address to bind; anything but loopback needs --allow-remote and TLS', '127.0.0.1')
    .option('--allow-remote', 'allow binding a non-loopback address (requires TLS)')
    .option('--tls-cert <file>', 'PEM certificate for HTTPS')
    .option('--tls-key <file>', 'PEM private key for HTTPS')
    .option('--tls-self-signed', 'generate a self-signed certificate for this start and print its SHA-256 fingerprint')
    .option('--allow-dir <dir>', 'a folder the browser may read and export to (repeatable)', collect, [] as string[])
    .action(async (opts: ServeOptions, cmd: Command) => {
      // Refuse before touching the data directory or generating keys.
      const wantsTls = Boolean(opts.tlsSelfSigned || opts.tlsCert || opts.tlsKey);
      checkBind(opts.host, { allowRemote: opts.allowRemote, tls: wantsTls });
      const tls = await tlsFor(opts);
      const core = openCore(cmd, { fileAccess: { confine: true, allowDirs: opts.allowDir } });
      let host: WebHost;
      try {
        host = await startWebHost({ core, staticDir: rendererDir(), port: opts.port, host: opts.host, allowRemote: opts.allowRemote, tls });
      } catch (err) {
        core.close();
        throw err;
      }
      if (!isLoopback(opts.host)) {
        process.stderr.write(
          `medtask: WARNING: serving on ${opts.host}, reachable from other machines. Anyone with the URL below ` +
            'can read your library, run models and read or write files in the allowed folders. Share it only over a trusted channel.\n',
        );
      }
      if (tls) {
        const kind = opts.tlsSelfSigned ? 'self-signed certificate (check this fingerprint in the browser before you trust it)' : 'certificate';
        process.stdout.write(`TLS ${kind}\n  SHA-256 ${tls.fingerprint256}\n`);
      }
      if (opts.allowDir.length) process.stdout.write(`Allowed folders: ${opts.allowDir.join(', ')}\n`);
      process.stdout.write(`MedTask Studio is serving ${core.home}\nOpen ${host.url}\n`);
      const stop = () => {
        // In-flight work (imports, runs, generations, downloads) stops and is waited for.
        void host
          .close()
          .then(() => core.dispose())
          .finally(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
