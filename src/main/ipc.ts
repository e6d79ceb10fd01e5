/**
 * Serves the contract over IPC: one `ipcMain.handle` per call name, input validated by the
 * shared schemas, and only from frames that show the app itself.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CALL_NAMES } from '../shared/contract';
import { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } from '../shared/bridge';
import { dispatchCall } from '../shared/dispatch';
import type { MedtaskCore } from '../core/service';
import { isAppUrl } from './security';

export function registerIpc(core: MedtaskCore, devUrl?: string): void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(IPC_CALL_PREFIX + name, (event: IpcMainInvokeEvent, input: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isAppUrl(frameUrl, devUrl)) {
        return { ok: false, error: { code: 'unauthorized', message: `call ${name} refused from ${frameUrl || 'an unknown frame'}` } };
      }
      // Anything not an expected domain error is a bug: logged with its stack, answered as `internal`.
      return dispatchCall(core.handlers, name, input, { onBug: (call, err) => core.log.error(`bug in ${call}`, err) });
    });
  }
}

export function forwardEvents(core: MedtaskCore, window: BrowserWindow): () => void {
  return core.subscribe((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, { event, payload });
  });
}
