/**
 * Opening links in the system browser: only documentation pages (urlPolicy's allowlist), and
 * only after the user said yes. shell.openExternal hands a URL to the OS, which for other
 * schemes can start programs, so a page must never get to call it freely.
 */
import { dialog, shell, type BrowserWindow } from 'electron';
import { isDocumentationUrl } from './urlPolicy';

/** Asks, then opens. Returns whether the page was opened. */
export async function openDocumentation(url: string, parent: BrowserWindow | null): Promise<boolean> {
  if (!isDocumentationUrl(url)) return false;
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
    title: 'Open a web page',
    message: 'Open this page in your web browser?',
    detail: url,
  };
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  if (response !== 0) return false;
  await shell.openExternal(url, { activate: true });
  return true;
}
