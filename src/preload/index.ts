/**
 * The only bridge between page and main process: one function per contract call, an event
 * subscription, and the native file dialogs. Channel names are fixed here or derived from the
 * contract, never taken from the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_NAMES, EVENT_NAMES } from '../shared/names';
import type { CallName, EventName } from '../shared/contract';
import { IPC_CALL_PREFIX, IPC_DIALOG_OPEN, IPC_DIALOG_SAVE, IPC_EVENT_CHANNEL, type MedtaskBridge } from '../shared/bridge';

const calls = Object.fromEntries(
  CALL_NAMES.map((name: CallName) => [name, (input: unknown) => ipcRenderer.invoke(IPC_CALL_PREFIX + name, input)]),
) as MedtaskBridge['calls'];

const bridge: MedtaskBridge = {
  calls,
  onEvent(event, listener) {
    if (!EVENT_NAMES.includes(event as EventName)) throw new Error(`unknown event ${String(event)}`);
    const handler = (_e: IpcRendererEvent, message: { event: EventName; payload: unknown }) => {
      if (message.event === event) (listener as (p: unknown) => void)(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
  // Main validates the options and shows the dialog; the page gets back only what the user chose.
  dialogs: {
    open: (options) => ipcRenderer.invoke(IPC_DIALOG_OPEN, options),
    save: (options) => ipcRenderer.invoke(IPC_DIALOG_SAVE, options),
  },
};

contextBridge.exposeInMainWorld('medtask', bridge);
