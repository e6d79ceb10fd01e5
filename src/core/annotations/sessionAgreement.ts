/**
 * Agreement over a session's scope: every reviewer who annotated its outputs (in this library,
 * from their own sessions or merged imports). A unit is one output (or the item itself) rated
 * by every reviewer; verdicts and severities are compared where all gave one, each tag as
 * present/absent wherever all annotated the unit.
 */
import { SEVERITIES, type AgreementResult, type KappaResult } from '../../shared/annotations';
import type { Db } from '../db/open';
import { kappaFor, weightedKappaFor } from './agreement';
import { sessionItems, sessionRow } from './sessions';
import { annotationsForItems, type StoredAnnotation } from './store';

export function sessionAgreement(db: Db, sessionId: number, only?: readonly string[]): AgreementResult {
  const s = sessionRow(db, sessionId);
  const uids = new Set(['', ...(JSON.parse(s.run_uids_json) as string[])]);
  const all = annotationsForItems(
    db,
    sessionItems(db, sessionId).map((i) => i.key),
  ).filter((a) => uids.has(a.runUid) && (!only || only.includes(a.reviewer)));
  const reviewers = [...new Set(all.map((a) => a.reviewer))].sort();
  const byTarget = new Map<string, Map<string, StoredAnnotation>>();
  for (const a of all) {
    const t = `${a.itemKey}\u0000${a.runUid}`;
    const m = byTarget.get(t) ?? new Map<string, StoredAnnotation>();
    m.set(a.reviewer, a);
    byTarget.set(t, m);
  }
  const result: AgreementResult = { reviewers, targets: byTarget.size, verdict: null, severity: null, severityWeighted: null, tags: [], note: null };
  if (reviewers.length < 2) {
    result.note = reviewers.length === 0 ? 'nothing annotated yet' : `only ${reviewers[0]} has annotated this scope; agreement needs two reviewers`;
    return result;
  }
  const full = [...byTarget.values()].filter((m) => reviewers.every((r) => m.has(r)));
  const unitsOf = (pick: (a: StoredAnnotation) => string | null) =>
    full.map((m) => reviewers.map((r) => pick(m.get(r)!))).filter((u): u is string[] => u.every((x) => x !== null));
  const field = (pick: (a: StoredAnnotation) => string | null): KappaResult | null => {
    const units = unitsOf(pick);
    return units.length ? kappaFor(units, reviewers.length) : null;
  };
  result.verdict = field((a) => a.verdict);
  result.severity = field((a) => a.severity);
  const severities = unitsOf((a) => a.severity);
  if (severities.length) {
    const linear = weightedKappaFor(severities, reviewers.length, SEVERITIES, 'linear');
    const quadratic = weightedKappaFor(severities, reviewers.length, SEVERITIES, 'quadratic');
    result.severityWeighted = { linear: linear.kappa, quadratic: quadratic.kappa, method: linear.method, units: severities.length };
  }
  const tagNames = [...new Set(full.flatMap((m) => [...m.values()].flatMap((a) => a.tags)))].sort();
  result.tags = tagNames.map((tag) => ({
    tag,
    ...kappaFor(
      full.map((m) => reviewers.map((r) => (m.get(r)!.tags.includes(tag) ? 'yes' : 'no'))),
      reviewers.length,
    ),
  }));
  if (full.length < byTarget.size)
    result.note = `${byTarget.size - full.length} of ${byTarget.size} annotated outputs were not annotated by every reviewer and are left out`;
  return result;
}
