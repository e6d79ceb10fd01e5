/**
 * Turns the page's dialog request (already validated by the shared schema) into Electron's
 * dialog options. Pure, so the mapping is tested without Electron; the page can choose only
 * title, filters, starting place and file-or-folder, never dialog properties directly.
 */
import type { OpenDialogOptions as ElectronOpenOptions, SaveDialogOptions as ElectronSaveOptions } from 'electron';
import type { dialogSchemas } from '../shared/bridge';
import type { z } from 'zod';

type OpenRequest = z.output<ReturnType<typeof dialogSchemas>['open']>;
type SaveRequest = z.output<ReturnType<typeof dialogSchemas>['save']>;
type OpenProperty = NonNullable<ElectronOpenOptions['properties']>[number];

export function openDialogOptions(request: OpenRequest, platform: NodeJS.Platform): ElectronOpenOptions {
  const properties: OpenProperty[] = [];
  // Windows and Linux cannot show one dialog for files and folders: there `any` picks files.
  if (request.pick === 'file' || request.pick === 'any') properties.push('openFile');
  if (request.pick === 'folder' || (request.pick === 'any' && platform === 'darwin')) properties.push('openDirectory', 'createDirectory');
  if (request.multiple) properties.push('multiSelections');
  return {
    title: request.title,
    defaultPath: request.defaultPath || undefined,
    filters: request.filters,
    properties,
  };
}

export function saveDialogOptions(request: SaveRequest): ElectronSaveOptions {
  return {
    title: request.title,
    defaultPath: request.defaultPath || undefined,
    filters: request.filters,
    // Replacing a file is the user's decision, asked by the dialog itself; the grant then covers it.
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  };
}
