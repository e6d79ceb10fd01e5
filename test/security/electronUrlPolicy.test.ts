/**
 * The Electron host's trust rules, run under plain Node (the Electron binary is not needed):
 * which page origins get the bridge, when the dev server is trusted, which links may reach the
 * system browser, and what a page may ask of the native file dialogs.
 */
import { describe, expect, it } from 'vitest';
import { dialogSchemas } from '../../src/shared/bridge';
import { openDialogOptions, saveDialogOptions } from '../../src/main/dialogOptions';
import { APP_ORIGIN, DOCUMENTATION_HOSTS, isAppUrl, isDocumentationUrl, trustedDevUrl } from '../../src/main/urlPolicy';

describe('dev-server URL', () => {
  it('is ignored in a packaged app, whatever the environment says', () => {
    for (const url of ['http://localhost:5173', 'http://127.0.0.1:5173/', 'https://evil.example/']) {
      expect(trustedDevUrl(true, url)).toBeUndefined();
    }
  });

  it('is trusted in development only for a loopback http(s) origin', () => {
    expect(trustedDevUrl(false, 'http://localhost:5173')).toBe('http://localhost:5173/');
    expect(trustedDevUrl(false, 'http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173/');
    expect(trustedDevUrl(false, 'http://[::1]:5173/')).toBe('http://[::1]:5173/');
    const refused = [
      'http://evil.example:5173',
      'http://localhost.evil.example/',
      'file:///tmp/index.html',
      'javascript:alert(1)',
      'http://user:pw@localhost:5173',
      'not a url',
      '',
    ];
    for (const url of refused) expect(trustedDevUrl(false, url), url).toBeUndefined();
    expect(trustedDevUrl(false, undefined)).toBeUndefined();
    console.log(`[electronUrlPolicy] dev URL: ${refused.length} hostile values refused`);
  });
});

describe('app origin', () => {
  it('accepts only the app scheme and host (and the trusted dev origin)', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/x', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('%%%')).toBe(false);
  });
});

describe('links to the system browser', () => {
  it('offers https pages on the documentation hosts', () => {
    for (const host of DOCUMENTATION_HOSTS) expect(isDocumentationUrl(`https://${host}/some/page?x=1#y`), host).toBe(true);
  });

  it('refuses every other scheme, host, port, credential and size', () => {
    const refused = [
      'http://github.com/withcatai/node-llama-cpp',
      'https://github.com.evil.example/',
      'https://evil.example/github.com',
      'https://gist.github.com/x',
      'https://user@github.com/',
      'https://github.com:8443/',
      'file:///etc/passwd',
      'smb://server/share/app.exe',
      'ms-msdt:/id PCWDiagnostic',
      'javascript:alert(1)',
      'data:text/html,hi',
      `https://github.com/${'a'.repeat(3000)}`,
      'not a url',
    ];
    for (const url of refused) expect(isDocumentationUrl(url), url).toBe(false);
    console.log(`[electronUrlPolicy] openExternal: ${refused.length} hostile URLs refused, ${DOCUMENTATION_HOSTS.length} documentation hosts allowed`);
  });
});

describe('native dialog requests from the page', () => {
  const { open, save } = dialogSchemas();

  it('fills safe defaults', () => {
    expect(open.parse({})).toEqual({ pick: 'file', multiple: false });
    expect(save.parse({ defaultPath: 'run-1.csv' })).toEqual({ defaultPath: 'run-1.csv' });
  });

  it('refuses anything beyond title, filters, starting place and what to pick', () => {
    const badOpen: unknown[] = [
      { properties: ['openFile', 'showHiddenFiles'] },
      { pick: 'device' },
      { filters: [{ name: 'CSV', extensions: ['.csv'] }] },
      { filters: [{ name: 'x', extensions: ['c/v'] }] },
      { filters: Array.from({ length: 9 }, () => ({ name: 'x', extensions: ['csv'] })) },
      { defaultPath: '/tmp/a\0b' },
      { defaultPath: 'x'.repeat(5000) },
      { title: 't'.repeat(500) },
      { multiple: 'yes' },
    ];
    for (const input of badOpen) expect(open.safeParse(input).success, JSON.stringify(input).slice(0, 80)).toBe(false);
    const badSave: unknown[] = [{ pick: 'folder' }, { properties: ['showHiddenFiles'] }, { defaultPath: 7 }];
    for (const input of badSave) expect(save.safeParse(input).success, JSON.stringify(input)).toBe(false);
    console.log(`[electronUrlPolicy] dialog options: ${badOpen.length + badSave.length} invalid requests refused`);
  });

  it('maps to dialog properties the page cannot widen', () => {
    const onLinux = openDialogOptions(open.parse({ pick: 'any', multiple: true }), 'linux');
    expect(onLinux.properties).toEqual(['openFile', 'multiSelections']);
    const onMac = openDialogOptions(open.parse({ pick: 'any' }), 'darwin');
    expect(onMac.properties).toEqual(['openFile', 'openDirectory', 'createDirectory']);
    expect(openDialogOptions(open.parse({ pick: 'folder' }), 'win32').properties).toEqual(['openDirectory', 'createDirectory']);
    expect(saveDialogOptions(save.parse({})).properties).toEqual(['showOverwriteConfirmation', 'createDirectory']);
    for (const o of [onLinux, onMac]) expect(o.properties).not.toContain('showHiddenFiles');
  });
});
