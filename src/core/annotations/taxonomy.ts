/**
 * The editable tag taxonomy: clinical defaults on first use, then add, rename, recolour,
 * re-key and merge. Tags are shared by all sessions of a library; exports carry them by name.
 */
import type { AnnotationTag } from '../../shared/annotations';
import type { Db } from '../db/open';
import { BadInputError, ConflictError, NotFoundError } from '../errors';

/** Error classes a clinical reviewer reaches for first (issue 15), on digits 1–9. */
export const DEFAULT_TAGS: readonly { name: string; color: string }[] = [
  { name: 'hallucinated finding', color: '#c0392b' },
  { name: 'omitted critical finding', color: '#d35400' },
  { name: 'wrong entity or boundary', color: '#8e44ad' },
  { name: 'missed label', color: '#2c3e94' },
  { name: 'contradicts the input', color: '#a93226' },
  { name: 'unsafe recommendation', color: '#7b241c' },
  { name: 'format violation', color: '#566573' },
  { name: 'correct but scored wrong', color: '#1e7a46' },
  { name: 'gold answer wrong', color: '#9a7d0a' },
];

export function ensureDefaultTags(db: Db): void {
  const count = db.prepare('SELECT COUNT(*) FROM annotation_tags').pluck().get() as number;
  if (count > 0) return;
  const insert = db.prepare('INSERT INTO annotation_tags (name, color, hotkey, ord) VALUES (?, ?, ?, ?)');
  db.transaction(() => DEFAULT_TAGS.forEach((t, i) => insert.run(t.name, t.color, i + 1, i)))();
}

export function listTags(db: Db): AnnotationTag[] {
  return db
    .prepare(
      `SELECT t.id, t.name, t.color, t.hotkey, (SELECT COUNT(*) FROM annotation_tag_links l WHERE l.tag_id = t.id) AS uses
         FROM annotation_tags t ORDER BY t.ord, t.id`,
    )
    .all() as AnnotationTag[];
}

function tagById(db: Db, id: number): AnnotationTag {
  const tag = listTags(db).find((t) => t.id === id);
  if (!tag) throw new NotFoundError(`no tag with id ${id}`, { field: 'id' });
  return tag;
}

/** Adds a tag (no id) or renames / recolours / re-keys one; names and hotkeys stay unique. */
export function saveTag(db: Db, t: { id?: number; name: string; color: string; hotkey: number | null }): AnnotationTag {
  return db.transaction(() => {
    const sameName = db.prepare('SELECT id FROM annotation_tags WHERE name = ? COLLATE NOCASE').pluck().get(t.name) as number | undefined;
    if (sameName !== undefined && sameName !== t.id)
      throw new ConflictError(`a tag named "${t.name}" already exists (merge the two instead)`, { field: 'name' });
    if (t.hotkey !== null) {
      const holder = db
        .prepare('SELECT name FROM annotation_tags WHERE hotkey = ? AND id IS NOT ?')
        .pluck()
        .get(t.hotkey, t.id ?? null) as string | undefined;
      if (holder !== undefined) throw new ConflictError(`hotkey ${t.hotkey} is already "${holder}"'s`, { field: 'hotkey' });
    }
    if (t.id === undefined) {
      const ord = (db.prepare('SELECT COALESCE(MAX(ord), -1) + 1 FROM annotation_tags').pluck().get() as number) ?? 0;
      const id = Number(
        db.prepare('INSERT INTO annotation_tags (name, color, hotkey, ord) VALUES (?, ?, ?, ?)').run(t.name, t.color, t.hotkey, ord).lastInsertRowid,
      );
      return tagById(db, id);
    }
    tagById(db, t.id);
    db.prepare('UPDATE annotation_tags SET name = ?, color = ?, hotkey = ? WHERE id = ?').run(t.name, t.color, t.hotkey, t.id);
    return tagById(db, t.id);
  })();
}

/** Every annotation tagged `from` is tagged `into` instead; `from` is deleted. */
export function mergeTags(db: Db, fromId: number, intoId: number): { moved: number } {
  if (fromId === intoId) throw new BadInputError('cannot merge a tag into itself', { field: 'intoId' });
  return db.transaction(() => {
    tagById(db, fromId);
    tagById(db, intoId);
    const moved = db
      .prepare('INSERT OR IGNORE INTO annotation_tag_links (annotation_id, tag_id) SELECT annotation_id, ? FROM annotation_tag_links WHERE tag_id = ?')
      .run(intoId, fromId).changes;
    db.prepare('DELETE FROM annotation_tags WHERE id = ?').run(fromId);
    return { moved };
  })();
}

/** The tag with this name, created (grey, no hotkey) if the library lacks it: imports bring their tags. */
export function tagIdForName(db: Db, name: string, color = '#607080', created?: string[]): number {
  const id = db.prepare('SELECT id FROM annotation_tags WHERE name = ? COLLATE NOCASE').pluck().get(name) as number | undefined;
  if (id !== undefined) return id;
  const ord = db.prepare('SELECT COALESCE(MAX(ord), -1) + 1 FROM annotation_tags').pluck().get() as number;
  created?.push(name);
  return Number(db.prepare('INSERT INTO annotation_tags (name, color, hotkey, ord) VALUES (?, ?, NULL, ?)').run(name, color, ord).lastInsertRowid);
}
