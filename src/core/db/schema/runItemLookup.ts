/**
 * Indexes that find a library item's answers in runs: by its place (benchmark, task, source
 * position), as the item view lists every run's answer, and by item id, which deleting items
 * (a re-import, a removed benchmark) sets to NULL in every run that answered them.
 */
import type { Migration } from './migration';

export const RUN_ITEM_LOOKUP_MIGRATION: Migration = {
  version: 11,
  name: 'run item lookup indexes',
  sql: `
    -- Without these the item view read every run's every item (text and all) to find one item's
    -- answers, and deleting N library items scanned run_items N times for the ON DELETE SET NULL.
    CREATE INDEX run_items_place ON run_items (benchmark, task, idx);
    CREATE INDEX run_items_item ON run_items (item_id);
  `,
};
