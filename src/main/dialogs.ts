/**
 * Native open/save dialogs for the page. Paths reach the engine only through what the user
 * picked: after the dialog answers, main grants the engine access to exactly those paths
 * (core.files.grant), then hands them to the page. One dialog at a time per app.
 */
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { dialogSchemas, IPC_DIALOG_OPEN, IPC_DIALOG_SAVE } from '../shared/bridge';
import { ApiError, toErrorData, type Envelope } from '../shared/errors';
import { openDialogOptions, saveDialogOptions } from './dialogOptions';
import { isAppUrl } from './urlPolicy';
import type { z } from 'zod';

export type GrantAccess = (path: string, mode: 'read' | 'write') => void;

let open = false;

async function answer<T>(event: IpcMainInvokeEvent, devUrl: string | undefined, what: string, show: () => Promise<T>): Promise<Envelope<T>> {
  const frameUrl = event.senderFrame?.url ?? '';
  if (!isAppUrl(frameUrl, devUrl))
    return { ok: false, error: { code: 'unauthorized', message: `${what} dialog refused from ${frameUrl || 'an unknown frame'}` } };
  if (open) return { ok: false, error: { code: 'invalid_input', message: 'another file dialog is already open' } };
  open = true;
  try {
    return { ok: true, value: await show() };
  } catch (err) {
    return { ok: false, error: toErrorData(err) };
  } finally {
    open = false;
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'options';
  throw new ApiError('invalid_input', `${what} dialog: ${field}: ${issue?.message ?? 'invalid'}`, { field });
}

export function registerDialogs(grant: GrantAccess, devUrl?: string): void {
  ipcMain.handle(IPC_DIALOG_OPEN, (event, input: unknown) =>
    answer(event, devUrl, 'open', async () => {
      const options = openDialogOptions(parse(dialogSchemas().open, input, 'open'), process.platform);
      const parent = BrowserWindow.fromWebContents(event.sender);
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      if (result.canceled) return { paths: [] };
      for (const p of result.filePaths) grant(p, 'read');
      return { paths: result.filePaths };
    }),
  );
  ipcMain.handle(IPC_DIALOG_SAVE, (event, input: unknown) =>
    answer(event, devUrl, 'save', async () => {
      const options = saveDialogOptions(parse(dialogSchemas().save, input, 'save'));
      const parent = BrowserWindow.fromWebContents(event.sender);
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return { path: null };
      grant(result.filePath, 'write');
      return { path: result.filePath };
    }),
  );
}
