import type { MedtaskBridge } from '../../shared/bridge';

declare global {
  /** Injected by electron.vite.config.ts (`define`); may be missing in other builds. */
  const __APP_VERSION__: string | undefined;

  interface Window {
    /** Present only inside Electron, where the preload exposes the IPC bridge. */
    medtask?: MedtaskBridge;
  }
}

export {};
