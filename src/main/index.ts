/**
 * Electron host: owns the core (database, and later node-llama-cpp, which must live in the
 * main process) and one hardened window that talks to it only through the preload bridge.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog } from 'electron';
import { resolveHome } from '../core/home';
import { MedtaskCore } from '../core/service';
import { registerDialogs } from './dialogs';
import { utilityProcessTransport } from './engineTransport';
import { forwardEvents, registerIpc } from './ipc';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './protocol';
import { hardenApp } from './security';
import { trustedDevUrl } from './urlPolicy';

const here = path.dirname(fileURLToPath(import.meta.url));
// An installed app never takes its page from the environment: ELECTRON_RENDERER_URL is honoured
// only in unpackaged (development) runs.
const packaged = app.isPackaged;
const devUrl = trustedDevUrl(packaged, process.env.ELECTRON_RENDERER_URL);

registerAppScheme();
hardenApp(devUrl, packaged);

function homeFromArgs(argv: string[]): string | undefined {
  const i = argv.indexOf('--home');
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--home='))?.slice('--home='.length);
}

async function createWindow(core: MedtaskCore): Promise<void> {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'MedTask Studio',
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: !packaged,
      spellcheck: false,
    },
  });
  const stopEvents = forwardEvents(core, window);
  window.on('closed', stopEvents);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  // Packaged builds carry resources/ beside app.asar; in development it is the project's own.
  const resources = app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(app.getAppPath(), 'resources');
  const core = new MedtaskCore({
    home: resolveHome(homeFromArgs(process.argv)),
    demoPackDir: path.join(resources, 'demo-pack'),
    // The page is confined like a browser page: paths outside home and the data folder need
    // a native dialog the user answered (registerDialogs grants exactly what was picked).
    fileAccess: { confine: true },
    // Models load in a utilityProcess: a crafted model that aborts llama.cpp ends only that process.
    engineTransport: utilityProcessTransport,
  });
  serveRenderer(path.join(here, '../renderer'));
  registerIpc(core, devUrl);
  registerDialogs((p, mode) => core.files.grant(p, mode), devUrl);
  // Quitting waits for in-flight work to stop (imports roll back, a running run pauses), once.
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    disposed = true;
    event.preventDefault();
    void core.dispose().finally(() => app.quit());
  });
  await createWindow(core);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(core);
  });
}

// One main process per user: two would write the same library and run the same models twice.
// A second start focuses the window that is already open.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0];
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      // Without a library or a window there is nothing to show: say why and stop.
      dialog.showErrorBox('MedTask Studio could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
