import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'MedTask Studio';

/**
 * The data directory: `--home`, else MEDTASK_HOME, else the OS app-data folder. The CLI,
 * the web host and the desktop app resolve it the same way so they share one library.
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.MEDTASK_HOME) return path.resolve(env.MEDTASK_HOME);
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return path.join(os.homedir(), 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'medtask-studio');
  }
}
