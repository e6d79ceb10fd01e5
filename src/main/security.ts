/**
 * Electron's security checklist applied app-wide: no permissions, no webviews, no
 * navigation away from the app, no new windows (external links go to the browser).
 */
import { app, shell, session, type WebContents } from 'electron';
import { APP_ORIGIN } from './protocol';

export function isAppUrl(raw: string, devUrl?: string): boolean {
  try {
    const url = new URL(raw);
    if (url.origin === APP_ORIGIN) return true;
    return devUrl !== undefined && url.origin === new URL(devUrl).origin;
  } catch {
    return false;
  }
}

export function hardenApp(devUrl?: string): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, devUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, devUrl)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
  });
}
