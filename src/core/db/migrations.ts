/**
 * Numbered schema migrations. Each runs once, in order, inside a transaction, and bumps
 * `PRAGMA user_version`; a database newer than this build is refused rather than guessed at.
 */
import type { Migration } from './schema/migration';
import { RUN_TRUNCATION_MIGRATION, RUNS_MIGRATION } from './schema/runs';
import { ANNOTATIONS_MIGRATION } from './schema/annotations';
import { RUN_ITEM_SCORES_MIGRATION } from './schema/runItemScores';
import { RUN_ITEM_STATUS_MIGRATION } from './schema/runItemStatus';
import { RUN_ITEM_LOOKUP_MIGRATION } from './schema/runItemLookup';
import { MODEL_INVALID_MIGRATION } from './schema/modelFiles';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'library',
    sql: `
      CREATE TABLE benchmarks (
        id    INTEGER PRIMARY KEY,
        name  TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL
      );
      CREATE TABLE tasks (
        id             INTEGER PRIMARY KEY,
        benchmark_id   INTEGER NOT NULL REFERENCES benchmarks(id) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        category       TEXT,
        source_dataset TEXT,
        definition     TEXT,
        languages_json TEXT,
        metadata_json  TEXT,
        UNIQUE (benchmark_id, name)
      );
      CREATE TABLE splits (
        id         INTEGER PRIMARY KEY,
        task_id    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        config     TEXT NOT NULL CHECK (config IN ('few-shot', 'zero-shot', 'default')),
        split      TEXT NOT NULL CHECK (split IN ('train', 'dev', 'test')),
        item_count INTEGER NOT NULL DEFAULT 0,
        -- A split's items are inserted in one run, so they hold one contiguous rowid range:
        -- the search index counts and filters by these ranges without joining items.
        min_item_id INTEGER,
        max_item_id INTEGER,
        UNIQUE (task_id, config, split)
      );
      -- Instructions repeat for every item of a task (MedINST: one per task, 7M rows), so each
      -- distinct text is stored and indexed once.
      CREATE TABLE instructions (
        id   INTEGER PRIMARY KEY,
        text TEXT NOT NULL UNIQUE
      );
      -- idx is the record's position in its source file; (split_id, idx) is the keyset for paging.
      CREATE TABLE items (
        id             INTEGER PRIMARY KEY,
        split_id       INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
        idx            INTEGER NOT NULL,
        source_id      TEXT,
        instruction_id INTEGER NOT NULL REFERENCES instructions(id),
        input        TEXT NOT NULL,
        output       TEXT NOT NULL,
        outputs_json TEXT,
        history_json TEXT,
        UNIQUE (split_id, idx)
      );
      -- Which instructions a split uses, and how often: instruction search names the tasks
      -- without scanning items, and unused instructions are found cheaply.
      CREATE TABLE split_instructions (
        split_id       INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
        instruction_id INTEGER NOT NULL REFERENCES instructions(id),
        item_count     INTEGER NOT NULL,
        PRIMARY KEY (split_id, instruction_id)
      ) WITHOUT ROWID;
      -- Provenance: which file (and which bytes) each split's rows came from.
      CREATE TABLE sources (
        id          INTEGER PRIMARY KEY,
        split_id    INTEGER NOT NULL UNIQUE REFERENCES splits(id) ON DELETE CASCADE,
        path        TEXT NOT NULL,
        size        INTEGER NOT NULL,
        sha256      TEXT NOT NULL,
        layout      TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        app_version TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'search-and-task-metadata',
    sql: `
      -- Instruction texts are few (shared by many items): their index lives here, beside
      -- them. The much larger index over item inputs and outputs lives in its own database
      -- file (search/), written by a worker thread in parallel with the import.
      CREATE VIRTUAL TABLE instructions_fts USING fts5(
        text,
        content = 'instructions', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      -- Bumped by every import that changes items; the search index records the version it
      -- matches, so a crash between the two commits is detected and the index rebuilt.
      CREATE TABLE library_state (
        id            INTEGER PRIMARY KEY CHECK (id = 1),
        items_version INTEGER NOT NULL
      );
      INSERT INTO library_state (id, items_version) VALUES (1, 0);
      -- Paraphrased instructions (MedS-Ins RewriteDefinitions.json), keyed by the MedS-Ins task
      -- id so they attach to MedS-Ins and MedS-Bench tasks whichever file is imported first.
      CREATE TABLE instruction_variants (
        external_id TEXT NOT NULL,
        ord         INTEGER NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('original', 'rewrite')),
        text        TEXT NOT NULL,
        PRIMARY KEY (external_id, ord)
      );
      CREATE TABLE definition_sources (
        path        TEXT PRIMARY KEY,
        size        INTEGER NOT NULL,
        sha256      TEXT NOT NULL,
        task_count  INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        app_version TEXT NOT NULL
      );
      CREATE TABLE task_examples (
        task_id      INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        polarity     TEXT NOT NULL CHECK (polarity IN ('positive', 'negative')),
        ord          INTEGER NOT NULL,
        input        TEXT NOT NULL,
        outputs_json TEXT NOT NULL,
        explanation  TEXT,
        PRIMARY KEY (task_id, polarity, ord)
      );
      -- MedS-Ins task ids (e.g. task114) join definitions files to task files.
      ALTER TABLE tasks ADD COLUMN external_id TEXT;
      CREATE INDEX tasks_external_id ON tasks(external_id);
    `,
  },
  {
    version: 3,
    name: 'models',
    sql: `
      -- Model library: GGUF models and LoRA adapters stay where the user keeps them; these rows
      -- point at them. Folders added are walked again by a re-scan.
      CREATE TABLE model_folders (
        path     TEXT PRIMARY KEY,
        added_at TEXT NOT NULL
      );
      -- One row per model or adapter (split models once, by their first part). header_json holds
      -- the header facts, shapes_json the 2-D tensor shapes adapters are matched against.
      CREATE TABLE models (
        id             INTEGER PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('model', 'adapter')),
        name           TEXT NOT NULL,
        path           TEXT NOT NULL UNIQUE,
        folder         TEXT,
        architecture   TEXT NOT NULL,
        header_json    TEXT NOT NULL,
        shapes_json    TEXT NOT NULL,
        fit_json       TEXT,
        status         TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'missing', 'changed')),
        status_detail  TEXT,
        -- Adapters: the base model they apply to, matched automatically or chosen by the user.
        base_model_id  INTEGER REFERENCES models(id) ON DELETE SET NULL,
        base_chosen_by TEXT CHECK (base_chosen_by IN ('auto', 'user')),
        added_at       TEXT NOT NULL,
        checked_at     TEXT NOT NULL
      );
      CREATE INDEX models_base ON models(base_model_id);
      -- Every file of a model (split GGUFs have several) with the size and mtime seen when read.
      CREATE TABLE model_files (
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        part     INTEGER NOT NULL,
        path     TEXT NOT NULL UNIQUE,
        size     INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        PRIMARY KEY (model_id, part)
      );
      -- Files inside added folders that the user removed: a re-scan does not bring them back.
      CREATE TABLE model_exclusions (
        path TEXT PRIMARY KEY
      );
      -- Runnable configurations: base model + adapters with scales + load settings.
      CREATE TABLE model_configs (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        model_id      INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        settings_json TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
      CREATE TABLE model_config_adapters (
        config_id  INTEGER NOT NULL REFERENCES model_configs(id) ON DELETE CASCADE,
        ord        INTEGER NOT NULL,
        adapter_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        scale      REAL NOT NULL,
        PRIMARY KEY (config_id, ord)
      );
    `,
  },
  RUNS_MIGRATION,
  RUN_TRUNCATION_MIGRATION,
  {
    version: 6,
    name: 'source files',
    sql: `
      -- Every file a split was read from, with its own size and sha256 (sources holds the split's
      -- combined record: for shards, a hash over the shards' hashes). Splits imported before this
      -- version have rows here only once they are imported again.
      CREATE TABLE source_files (
        split_id INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
        part     INTEGER NOT NULL,
        path     TEXT NOT NULL,
        size     INTEGER NOT NULL,
        sha256   TEXT NOT NULL,
        PRIMARY KEY (split_id, part)
      ) WITHOUT ROWID;
    `,
  },
  ANNOTATIONS_MIGRATION,
  MODEL_INVALID_MIGRATION,
  RUN_ITEM_SCORES_MIGRATION,
  RUN_ITEM_STATUS_MIGRATION,
  RUN_ITEM_LOOKUP_MIGRATION,
];
