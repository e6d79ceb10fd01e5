import type { Migration } from './migration';

/**
 * Runs: each item's result is written in its own statement as it completes, guarded by its
 * status, so a crash or kill -9 loses no finished item and a resume repeats none.
 */
export const RUNS_MIGRATION: Migration = {
  version: 4,
  name: 'runs',
  sql: `
    CREATE TABLE prompt_templates (
      hash       TEXT PRIMARY KEY,
      json       TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE runs (
      id             INTEGER PRIMARY KEY,
      name           TEXT NOT NULL,
      kind           TEXT NOT NULL CHECK (kind IN ('local', 'remote', 'imported')),
      status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'cancelled', 'done', 'failed')),
      spec_json      TEXT,
      model_label    TEXT NOT NULL,
      template_hash  TEXT REFERENCES prompt_templates(hash),
      metric_mode    TEXT NOT NULL DEFAULT 'reference',
      hardware_json  TEXT,
      created_at     TEXT NOT NULL,
      started_at     TEXT,
      finished_at    TEXT,
      wall_ms        INTEGER NOT NULL DEFAULT 0,
      generate_ms    INTEGER NOT NULL DEFAULT 0,
      error          TEXT,
      app_version    TEXT NOT NULL
    );
    CREATE TABLE run_items (
      run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      ord             INTEGER NOT NULL,
      item_id         INTEGER REFERENCES items(id) ON DELETE SET NULL,
      benchmark       TEXT NOT NULL,
      task            TEXT NOT NULL,
      idx             INTEGER,
      input           TEXT NOT NULL,
      gold_json       TEXT NOT NULL,
      status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'error')),
      prompt_json     TEXT,
      rendered_prompt TEXT,
      raw_output      TEXT,
      extracted       TEXT,
      prompt_tokens   INTEGER,
      output_tokens   INTEGER,
      latency_ms      REAL,
      ttft_ms         REAL,
      error           TEXT,
      PRIMARY KEY (run_id, ord)
    ) WITHOUT ROWID;
    CREATE TABLE run_scores (
      run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      benchmark  TEXT NOT NULL,
      task       TEXT NOT NULL,
      mode       TEXT NOT NULL,
      metric     TEXT NOT NULL,
      value      REAL NOT NULL,
      item_count INTEGER NOT NULL,
      PRIMARY KEY (run_id, task, mode, metric)
    );
  `,
};

/** Prompt tokens the engine cut from an item's prompt by the run's truncation policy (null: none). */
export const RUN_TRUNCATION_MIGRATION: Migration = {
  version: 5,
  name: 'run item truncation',
  sql: `ALTER TABLE run_items ADD COLUMN truncated_tokens INTEGER;`,
};
