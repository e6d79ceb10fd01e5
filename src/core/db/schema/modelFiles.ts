/**
 * The model library's table of files that are not valid models: found in an added folder (or
 * re-checked by a rescan) with a header that is malformed, out of bounds or cut short. They are
 * listed with the reason instead of being loaded, and a rescan reads them again.
 */
import type { Migration } from './migration';

export const MODEL_INVALID_MIGRATION: Migration = {
  version: 8,
  name: 'invalid model files',
  sql: `
    CREATE TABLE model_invalid_files (
      path       TEXT PRIMARY KEY,
      folder     TEXT,
      problem    TEXT NOT NULL,
      reason     TEXT NOT NULL,
      size       INTEGER NOT NULL,
      mtime_ms   REAL NOT NULL,
      checked_at TEXT NOT NULL
    );
  `,
};
