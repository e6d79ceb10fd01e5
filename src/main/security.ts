/**
 * Electron's security checklist applied app-wide: no permissions or devices, no webviews, no
 * navigation away from the app, no new windows (documentation links go to the browser after
 * asking), and no DevTools in packaged builds.
 */
import { app, BrowserWindow, session, type Session, type WebContents } from 'electron';
import { openDocumentation } from './external';
import { isAppUrl } from './urlPolicy';

export { isAppUrl } from './urlPolicy';

/** The app needs no browser permission (camera, notifications, clipboard-read, HID, USB, serial…). */
function denyPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Device choosers: answer "nothing chosen" instead of Electron's default pick.
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-serial-port', (event, _ports, _wc, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
}

export function hardenApp(devUrl: string | undefined, packaged: boolean): void {
  // Every renderer sandboxed, whatever a window's options say (must run before ready).
  app.enableSandbox();
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, devUrl)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (event) => {
      if (!isAppUrl(event.url, devUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, devUrl)) event.preventDefault();
    });
    contents.on('select-bluetooth-device', (event, _devices, callback) => {
      event.preventDefault();
      callback('');
    });
    // No window is ever opened by a page; a documentation link is offered to the browser instead.
    contents.setWindowOpenHandler(({ url }) => {
      void openDocumentation(url, BrowserWindow.fromWebContents(contents)).catch(() => undefined);
      return { action: 'deny' };
    });
    // Packaged builds create windows with devTools: false; this also closes any opened another way.
    if (packaged) contents.on('devtools-opened', () => contents.closeDevTools());
  });
  void app.whenReady().then(() => denyPermissions(session.defaultSession));
}
