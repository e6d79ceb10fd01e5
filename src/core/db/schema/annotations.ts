/**
 * The annotations tables (one migration): tag taxonomy, review sessions with their materialised
 * items, and annotations keyed by (item key, run uid, reviewer) — never by row ids, which change
 * when a split is re-imported — so they survive re-scoring, re-import and travel between libraries.
 */
import type { Migration } from './migration';

export const ANNOTATIONS_MIGRATION_VERSION = 7;

export const ANNOTATIONS_MIGRATION: Migration = {
  version: ANNOTATIONS_MIGRATION_VERSION,
  name: 'annotations',
  sql: `
    -- A run's identity outside this library (exports, a colleague's merge): ids are local.
    ALTER TABLE runs ADD COLUMN uid TEXT;
    UPDATE runs SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX runs_uid ON runs(uid);
    -- Every way a run is created gets a uid without each writer having to know about it.
    CREATE TRIGGER runs_uid_default AFTER INSERT ON runs WHEN NEW.uid IS NULL
    BEGIN
      UPDATE runs SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id;
    END;
    CREATE TABLE annotation_tags (
      id     INTEGER PRIMARY KEY,
      name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
      color  TEXT NOT NULL,
      hotkey INTEGER UNIQUE CHECK (hotkey BETWEEN 1 AND 9),
      ord    INTEGER NOT NULL
    );
    CREATE TABLE annotation_sessions (
      id         INTEGER PRIMARY KEY,
      uid        TEXT NOT NULL UNIQUE,
      name       TEXT NOT NULL,
      reviewer   TEXT NOT NULL,
      scope_json TEXT NOT NULL,
      -- The runs in scope order, by uid, so a session still names them if ids are reused.
      run_uids_json TEXT NOT NULL,
      blind      INTEGER NOT NULL CHECK (blind IN (0, 1)),
      seed       INTEGER NOT NULL,
      status     TEXT NOT NULL CHECK (status IN ('open', 'ended')),
      position   INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      ended_at   TEXT
    );
    -- The session's items, fixed when it starts (a sample or a filter must not shift under a
    -- reviewer); ords_json holds each run's run_items.ord for the item, in scope order.
    CREATE TABLE annotation_session_items (
      session_id INTEGER NOT NULL REFERENCES annotation_sessions(id) ON DELETE CASCADE,
      ord        INTEGER NOT NULL,
      item_key   TEXT NOT NULL,
      ords_json  TEXT NOT NULL,
      PRIMARY KEY (session_id, ord)
    ) WITHOUT ROWID;
    -- run_uid '' is the item itself ("gold is wrong"). fingerprint: the item's content when
    -- annotated, so a changed benchmark file can report the annotations it orphaned.
    CREATE TABLE annotations (
      id          INTEGER PRIMARY KEY,
      item_key    TEXT NOT NULL,
      run_uid     TEXT NOT NULL,
      reviewer    TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      benchmark   TEXT NOT NULL,
      task        TEXT NOT NULL,
      idx         INTEGER,
      run_label   TEXT,
      verdict     TEXT CHECK (verdict IN ('correct', 'partly', 'incorrect')),
      severity    TEXT CHECK (severity IN ('none', 'mild', 'moderate', 'severe')),
      note        TEXT NOT NULL DEFAULT '',
      session_uid TEXT,
      updated_at  TEXT NOT NULL,
      UNIQUE (item_key, run_uid, reviewer)
    );
    CREATE INDEX annotations_run ON annotations(run_uid);
    CREATE TABLE annotation_tag_links (
      annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
      tag_id        INTEGER NOT NULL REFERENCES annotation_tags(id) ON DELETE CASCADE,
      PRIMARY KEY (annotation_id, tag_id)
    ) WITHOUT ROWID;
    CREATE INDEX annotation_tag_links_tag ON annotation_tag_links(tag_id);
  `,
};
