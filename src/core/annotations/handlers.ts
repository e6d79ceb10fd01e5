/**
 * The annotation calls of the contract, for the engine's handler table (`...annotationHandlers`).
 * File-facing calls go through the host's path policy when it has one (see paths.ts).
 */
import type { AnnotationCallResults, annotationCallInputs } from '../../shared/annotations';
import type { z } from 'zod';
import type { Db } from '../db/open';
import { exportCsv, exportJson, mergeAnnotations, readAnnotationFile } from './exchange';
import { findOrphans } from './orphans';
import { checkReadPath, checkWritePath, writeWhole, type PathPolicy } from './paths';
import { renderReport } from './report';
import { sessionAgreement } from './sessionAgreement';
import { annotateInSession, createSession, endSession, getSessionItem, listSessionItems, listSessions, sessionDetail, setPosition } from './sessions';
import { ensureDefaultTags, listTags, mergeTags, saveTag } from './taxonomy';

type Inputs = typeof annotationCallInputs;
export type AnnotationHandlers = { [N in keyof Inputs]: (args: z.output<Inputs[N]>) => AnnotationCallResults[N] | Promise<AnnotationCallResults[N]> };

/**
 * `host` is the engine; its `files` policy (when it has one) is read at call time, so the
 * handlers work in front of any host, confined or not.
 */
export function annotationHandlers(db: Db, host: object = {}): AnnotationHandlers {
  ensureDefaultTags(db);
  const policy = () => (host as { files?: PathPolicy }).files;
  return {
    listAnnotationTags: () => listTags(db),
    saveAnnotationTag: (a) => saveTag(db, a),
    mergeAnnotationTags: (a) => mergeTags(db, a.fromId, a.intoId),
    createAnnotationSession: (a) => createSession(db, a),
    listAnnotationSessions: () => listSessions(db),
    getAnnotationSession: (a) => sessionDetail(db, a.sessionId),
    listSessionItems: (a) => listSessionItems(db, a.sessionId, a.filter),
    getSessionItem: (a) => getSessionItem(db, a.sessionId, a.ord),
    annotate: (a) => annotateInSession(db, a),
    setSessionPosition: (a) => setPosition(db, a.sessionId, a.ord),
    endAnnotationSession: (a) => endSession(db, a.sessionId),
    exportAnnotations: (a) => {
      const target = checkWritePath(policy(), a.out, a.overwrite);
      const { text, count } = a.format === 'json' ? exportJson(db, a) : exportCsv(db, a);
      return { file: target, bytes: writeWhole(target, text), count };
    },
    importAnnotations: (a) => {
      const file = checkReadPath(policy(), a.file);
      return mergeAnnotations(db, a.file, readAnnotationFile(file), a.take);
    },
    annotationAgreement: (a) => sessionAgreement(db, a.sessionId, a.reviewers),
    writeAnnotationReport: (a) => {
      const target = checkWritePath(policy(), a.out, a.overwrite);
      const html = renderReport(db, a.sessionId);
      return { file: target, bytes: writeWhole(target, html), count: 1 };
    },
    annotationOrphans: () => findOrphans(db),
    annotationTagCounts: (a) => {
      const rows: AnnotationCallResults['annotationTagCounts'] = [];
      const stmt = db.prepare(
        `SELECT t.name AS tag, COUNT(*) AS count FROM annotations a JOIN annotation_tag_links l ON l.annotation_id = a.id JOIN annotation_tags t ON t.id = l.tag_id
          WHERE a.run_uid = (SELECT uid FROM runs WHERE id = ?) GROUP BY t.id ORDER BY t.ord`,
      );
      for (const runId of a.runIds) for (const r of stmt.all(runId) as { tag: string; count: number }[]) rows.push({ runId, ...r });
      return rows;
    },
  };
}
