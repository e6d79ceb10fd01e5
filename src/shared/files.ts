/**
 * Browsing the engine machine's file system, so a path can be picked instead of typed. The
 * engine lists, not the renderer: in the browser host the files live on the workstation that
 * runs the engine, not on the machine that shows the page.
 */
export interface DirectoryEntry {
  name: string;
  /** Absolute path. */
  path: string;
  kind: 'dir' | 'file';
  /** Files only. */
  size?: number;
  /** ISO time of the last modification. */
  modified?: string;
}

export interface DirectoryListing {
  /** The absolute, resolved folder that was listed. */
  path: string;
  /** null at a file-system root. */
  parent: string | null;
  /** Folders first, then files, each by name (case-insensitive, numbers in order). */
  entries: DirectoryEntry[];
  /** Entries left out because `extensions` did not match (folders are always kept). */
  hiddenByFilter: number;
  /** Places to start from: the home folder, the app's data folder, the file-system roots. */
  places: { label: string; path: string }[];
  /** True when there were more entries than `limit`. */
  truncated: boolean;
}
