/**
 * Per-item metric values, cached per run and metric mode. An item's values depend only on
 * its own stored output and gold, and a finished item is never written again, so a cached
 * row stays valid; rows are filled the first time a run is compared (or by whoever scores).
 */
import type { Migration } from './migration';

export const RUN_ITEM_SCORES_MIGRATION: Migration = {
  version: 9,
  name: 'run item scores',
  sql: `
    CREATE TABLE run_item_scores (
      run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      mode        TEXT NOT NULL,
      ord         INTEGER NOT NULL,
      scores_json TEXT NOT NULL,
      PRIMARY KEY (run_id, mode, ord)
    ) WITHOUT ROWID;
  `,
};
