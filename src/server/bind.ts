/**
 * Where the web host may listen. Loopback is the default and needs nothing; any other address
 * exposes the library and the engine to the network, so it needs an explicit `allowRemote` and TLS
 * (the token in the printed URL must not cross a network in clear text).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 fingerprint of the certificate, `AA:BB:…`, for the user to compare in the browser. */
  fingerprint256: string;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export function isWildcard(host: string): boolean {
  const h = unbracket(host.trim().toLowerCase());
  return h === '0.0.0.0' || h === '::' || h === '' || h === '0:0:0:0:0:0:0:0';
}

export function isLoopback(host: string): boolean {
  const h = unbracket(host.trim().toLowerCase());
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

export class BindRefusedError extends Error {
  override name = 'BindRefusedError';
}

/** Throws unless the address is loopback, or remote access was asked for explicitly and comes with TLS. */
export function checkBind(host: string, opts: { allowRemote?: boolean; tls?: boolean }): void {
  if (isLoopback(host)) return;
  const what = isWildcard(host) ? `every network interface (${host || '0.0.0.0'})` : host;
  if (!opts.allowRemote) {
    throw new BindRefusedError(
      `refusing to serve on ${what}: other machines could reach your library and models. ` +
        'Use the default 127.0.0.1, or pass --allow-remote together with --tls-cert FILE --tls-key FILE or --tls-self-signed.',
    );
  }
  if (!opts.tls) {
    throw new BindRefusedError(
      `refusing to serve on ${what} over plain HTTP: the access token would cross the network in clear text. ` +
        'Add --tls-cert FILE --tls-key FILE, or --tls-self-signed.',
    );
  }
}

export function fingerprintOf(certPem: string): string {
  return new crypto.X509Certificate(certPem).fingerprint256;
}

/** A certificate the user supplies; checked here so a wrong file is a clear error, not a TLS failure later. */
export function loadTls(certFile: string, keyFile: string): TlsMaterial {
  const read = (file: string, what: string): string => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new Error(`cannot read the TLS ${what} ${file} (${code})`);
    }
  };
  const cert = read(certFile, 'certificate');
  const key = read(keyFile, 'key');
  let fingerprint256: string;
  try {
    fingerprint256 = fingerprintOf(cert);
  } catch {
    throw new Error(`${certFile} is not a PEM certificate`);
  }
  try {
    crypto.createPrivateKey(key);
  } catch {
    throw new Error(`${keyFile} is not a PEM private key (or it is encrypted)`);
  }
  return { cert, key, fingerprint256 };
}

/** The names a self-signed certificate should cover for a host bound at `host`. */
export function certificateNames(host: string): { dns: string[]; ips: string[] } {
  const dns = new Set<string>(['localhost']);
  const ips = new Set<string>(['127.0.0.1', '::1']);
  const add = (name: string) => (net.isIP(name) ? ips : dns).add(name);
  if (isWildcard(host)) {
    dns.add(os.hostname());
    for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (!a.address.includes('%')) ips.add(a.address);
  } else {
    add(unbracket(host));
  }
  return { dns: [...dns], ips: [...ips] };
}

/** A fresh self-signed certificate (EC P-256, 30 days) for this start only; nothing is written to disk. */
export async function selfSignedTls(host: string): Promise<TlsMaterial> {
  const selfsigned = await import('selfsigned');
  const { dns, ips } = certificateNames(host);
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + 30 * 24 * 3600 * 1000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'MedTask Studio (self-signed)' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...dns.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  return { cert: pems.cert, key: pems.private, fingerprint256: fingerprintOf(pems.cert) };
}
