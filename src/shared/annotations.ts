/**
 * Error-analysis sessions and annotations: the call inputs (zod) and result types shared by
 * the engine, the hosts and the renderer. Annotations are keyed by stable identities
 * (item key, run uid or none for the item itself, reviewer) so they travel between libraries.
 */
import { z } from 'zod';
import { SEVERITIES, VERDICTS, type Severity, type Verdict } from './enums';
import { compareFilterSchema } from './compare';

export { SEVERITIES, VERDICTS, type Severity, type Verdict } from './enums';
/** Which aligned items a comparison session keeps, by each run's automatic per-item result (A = first run, B = second). */
export const COMPARE_FILTERS = ['all', 'a-right-b-wrong', 'a-wrong-b-right', 'both-right', 'both-wrong', 'any-wrong'] as const;
export type CompareFilter = (typeof COMPARE_FILTERS)[number];
export const SESSION_ITEM_FILTERS = ['all', 'unreviewed', 'reviewed', 'disagreements'] as const;
export type SessionItemFilter = (typeof SESSION_ITEM_FILTERS)[number];

const id = z.number().int().positive();
const reviewer = z.string().trim().min(1, 'a reviewer name is required').max(100);
const filePath = z.string().min(1).max(4096);

export const sessionScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), runId: id }).strict(),
  z
    .object({
      kind: z.literal('comparison'),
      runIds: z.array(id).min(2).max(8),
      filter: z.enum(COMPARE_FILTERS).default('all'),
      /**
       * The Compare view's own filters (runs A/B are indexes into runIds) and search: the session
       * then holds exactly the rows the view shows, in its order. Applied after `filter`.
       */
      view: compareFilterSchema.optional(),
      search: z.string().trim().max(500).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('sample'),
      runIds: z.array(id).min(1).max(8),
      n: z.number().int().min(1).max(100_000),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    })
    .strict(),
]);
export type SessionScope = z.output<typeof sessionScopeSchema>;

export const annotationCallInputs = {
  /** The editable tag taxonomy (clinical defaults on a new library). */
  listAnnotationTags: z.object({}).strict(),
  saveAnnotationTag: z
    .object({
      id: id.optional(),
      name: z.string().trim().min(1).max(100),
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #d94f4f'),
      /** 1–9: the digit that toggles the tag in a session; null for none. */
      hotkey: z.number().int().min(1).max(9).nullable().default(null),
    })
    .strict(),
  /** Moves every use of one tag onto another and deletes the first. */
  mergeAnnotationTags: z.object({ fromId: id, intoId: id }).strict(),
  createAnnotationSession: z
    .object({
      reviewer,
      name: z.string().trim().min(1).max(200).optional(),
      scope: sessionScopeSchema,
      /** Run names and models hidden and columns shuffled per item until the session ends. */
      blind: z.boolean().default(false),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .optional(),
    })
    .strict(),
  listAnnotationSessions: z.object({}).strict(),
  getAnnotationSession: z.object({ sessionId: id }).strict(),
  listSessionItems: z.object({ sessionId: id, filter: z.enum(SESSION_ITEM_FILTERS).default('all') }).strict(),
  getSessionItem: z.object({ sessionId: id, ord: z.number().int().min(0) }).strict(),
  /** Sets the whole annotation of one output (column = its place on screen) or of the item itself (column null). */
  annotate: z
    .object({
      sessionId: id,
      ord: z.number().int().min(0),
      column: z.number().int().min(0).max(7).nullable(),
      tagIds: z.array(id).max(50).default([]),
      verdict: z.enum(VERDICTS).nullable().default(null),
      severity: z.enum(SEVERITIES).nullable().default(null),
      note: z.string().max(20_000).default(''),
    })
    .strict(),
  /** Where the reviewer is, for resume. */
  setSessionPosition: z.object({ sessionId: id, ord: z.number().int().min(0) }).strict(),
  /** Ends the session and reveals a blind session's runs. */
  endAnnotationSession: z.object({ sessionId: id }).strict(),
  exportAnnotations: z
    .object({ sessionId: id.optional(), runId: id.optional(), format: z.enum(['json', 'csv']), out: filePath, overwrite: z.boolean().default(false) })
    .strict()
    .refine((v) => !(v.sessionId && v.runId), { message: 'give a session or a run, not both', path: ['runId'] }),
  /** Merges a colleague's JSON export: same identities matched, differing ones listed as conflicts (or taken with `take`). */
  importAnnotations: z.object({ file: filePath, take: z.array(z.string().max(2000)).max(100_000).default([]) }).strict(),
  /** Agreement between the named reviewers (default: everyone who annotated the session's outputs) over what all of them annotated. */
  annotationAgreement: z.object({ sessionId: id, reviewers: z.array(reviewer).min(2).max(50).optional() }).strict(),
  writeAnnotationReport: z.object({ sessionId: id, out: filePath, overwrite: z.boolean().default(false) }).strict(),
  /** Annotated items whose benchmark file changed (content differs) or lost them. */
  annotationOrphans: z.object({}).strict(),
  /** Per-tag counts of each run's outputs (all reviewers), for the compare view and leaderboard. */
  annotationTagCounts: z.object({ runIds: z.array(id).min(1).max(50) }).strict(),
} as const;

export interface AnnotationTag {
  id: number;
  name: string;
  color: string;
  hotkey: number | null;
  /** Annotations using the tag. */
  uses: number;
}

export interface SessionColumn {
  /** The place on screen (0-based) of this output for this item. */
  column: number;
  /** "Output A" in a blind session until it ends, else the run's name. */
  label: string;
  /** Hidden (null) while a blind session is open. */
  runId: number | null;
  modelLabel: string | null;
}

export interface SessionSummary {
  id: number;
  uid: string;
  name: string;
  reviewer: string;
  scope: SessionScope;
  blind: boolean;
  revealed: boolean;
  status: 'open' | 'ended';
  seed: number;
  total: number;
  reviewed: number;
  position: number;
  createdAt: string;
  endedAt: string | null;
}

export interface SessionDetail extends SessionSummary {
  /** Runs in scope order; names hidden while blind and open. */
  runs: { label: string; runId: number | null; name: string | null; modelLabel: string | null }[];
  /** Automatic per-item scores and the same adjusted by this reviewer's verdicts, per run (null while blind). */
  adjusted: AdjustedScore[] | null;
}

export interface AdjustedScore {
  runLabel: string;
  metric: string;
  items: number;
  reviewed: number;
  automatic: number | null;
  adjusted: number | null;
}

export interface AnnotationState {
  tagIds: number[];
  verdict: Verdict | null;
  severity: Severity | null;
  note: string;
  updatedAt: string | null;
}

export interface SessionItemColumn extends SessionColumn {
  output: string | null;
  status: 'pending' | 'done' | 'error';
  metrics: Record<string, number>;
  annotation: AnnotationState;
  /** Other reviewers' annotations of this output (shown for adjudication once the session has ended). */
  others: (AnnotationState & { reviewer: string })[];
}

export interface SessionItem {
  ord: number;
  total: number;
  itemKey: string;
  benchmark: string;
  task: string;
  input: string;
  gold: string[];
  item: AnnotationState;
  columns: SessionItemColumn[];
}

export interface SessionItemRow {
  ord: number;
  itemKey: string;
  task: string;
  reviewed: boolean;
  disagreement: boolean;
}

export interface KappaResult {
  /** Cohen's kappa for two reviewers, Fleiss' kappa for more; null when undefined (one category only). */
  kappa: number | null;
  method: 'cohen' | 'fleiss';
  /** Units rated by every reviewer. */
  units: number;
  observedAgreement: number | null;
  /** Ratings per category, over all reviewers. */
  counts: Record<string, number>;
}

/** Severity is ordinal (none < mild < moderate < severe): a one-step disagreement costs less than a three-step one. */
export interface WeightedKappaResult {
  /** Cohen's weighted kappa for two reviewers; for more, the mean over reviewer pairs. Null where undefined. */
  linear: number | null;
  quadratic: number | null;
  method: 'cohen' | 'pairwise-mean';
  units: number;
}

export interface AgreementResult {
  reviewers: string[];
  /** Outputs (and items) of the scope annotated by at least one reviewer. */
  targets: number;
  verdict: KappaResult | null;
  severity: KappaResult | null;
  /** Severity agreement weighted by ordinal distance (linear |i−j|, quadratic (i−j)²). */
  severityWeighted: WeightedKappaResult | null;
  tags: (KappaResult & { tag: string })[];
  note: string | null;
}

export interface ImportConflict {
  /** Pass back in `take` to replace the local annotation with the incoming one. */
  key: string;
  itemKey: string;
  run: string | null;
  reviewer: string;
  local: AnnotationState & { tags: string[] };
  incoming: AnnotationState & { tags: string[] };
  fingerprintDiffers: boolean;
}

export interface ImportAnnotationsResult {
  file: string;
  added: number;
  unchanged: number;
  taken: number;
  tagsCreated: string[];
  conflicts: ImportConflict[];
}

export interface OrphanedAnnotation {
  itemKey: string;
  reviewer: string;
  run: string | null;
  reason: 'changed' | 'missing';
}

export interface AnnotationTagCount {
  runId: number;
  tag: string;
  count: number;
}

export interface AnnotationFileResult {
  file: string;
  bytes: number;
  count: number;
}

export interface AnnotationCallResults {
  listAnnotationTags: AnnotationTag[];
  saveAnnotationTag: AnnotationTag;
  mergeAnnotationTags: { moved: number };
  createAnnotationSession: SessionDetail;
  listAnnotationSessions: SessionSummary[];
  getAnnotationSession: SessionDetail;
  listSessionItems: SessionItemRow[];
  getSessionItem: SessionItem;
  annotate: SessionItem;
  setSessionPosition: boolean;
  endAnnotationSession: SessionDetail;
  exportAnnotations: AnnotationFileResult;
  importAnnotations: ImportAnnotationsResult;
  annotationAgreement: AgreementResult;
  writeAnnotationReport: AnnotationFileResult;
  annotationOrphans: OrphanedAnnotation[];
  annotationTagCounts: AnnotationTagCount[];
}
