/**
 * Which URLs the Electron host trusts: the app's own origin, a dev server only in unpackaged
 * runs, and documentation pages that may open in the user's browser. No Electron imports, so
 * the rules are tested under plain Node (test/security/electronUrlPolicy.test.ts).
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'medtask';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Hosts whose pages the app may hand to the system browser (model cards, benchmark and library
 * documentation). Exact host names: a look-alike subdomain or another port is not on the list.
 */
export const DOCUMENTATION_HOSTS: readonly string[] = ['github.com', 'huggingface.co', 'node-llama-cpp.withcat.ai', 'www.electronjs.org'];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev server electron-vite names in ELECTRON_RENDERER_URL, trusted only when the app is not
 * packaged: in an installed app that variable is just something any process that starts the app
 * can set, and trusting it would hand the bridge (every contract call) to whatever it points at.
 * Even in development only a loopback http(s) origin is accepted.
 */
export function trustedDevUrl(isPackaged: boolean, envUrl: string | undefined): string | undefined {
  if (isPackaged || envUrl === undefined || envUrl === '') return undefined;
  try {
    const url = new URL(envUrl);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname) && url.username === '' && url.password === '')
      return url.href;
  } catch {
    // not a URL: not trusted
  }
  return undefined;
}

/** True for a URL of the app itself (or of the trusted dev server). */
export function isAppUrl(raw: string, devUrl?: string): boolean {
  try {
    const url = new URL(raw);
    if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
    return devUrl !== undefined && url.origin === new URL(devUrl).origin;
  } catch {
    return false;
  }
}

/**
 * True when `raw` may be offered to the system browser: https, no credentials, default port, and
 * a host on DOCUMENTATION_HOSTS. Everything else (file:, custom schemes that launch programs,
 * http, other hosts) is refused before the user is even asked.
 */
export function isDocumentationUrl(raw: string): boolean {
  if (typeof raw !== 'string' || raw.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' && url.port === '' && DOCUMENTATION_HOSTS.includes(url.hostname);
}
