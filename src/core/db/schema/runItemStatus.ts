/**
 * An index of each run's items by status with their place (benchmark, task, source position), so
 * counting a run's finished items and aligning runs by item read no item text.
 */
import type { Migration } from './migration';

export const RUN_ITEM_STATUS_MIGRATION: Migration = {
  version: 10,
  name: 'run item status index',
  sql: `
    -- run_items rows carry inputs and outputs (often past a page: overflow chains); without this,
    -- a compare walks every one of them (56 MB for 8 runs × 10,000 items) to count and align items.
    CREATE INDEX run_items_status ON run_items (run_id, status, benchmark, task, idx);
  `,
};
