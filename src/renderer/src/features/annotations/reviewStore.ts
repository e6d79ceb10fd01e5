/**
 * Error-analysis sessions in the renderer: the session list, the open session and item, the
 * focused output, and undo/redo. Every change writes the output's whole annotation, so undo is
 * writing the state before; the engine (not the renderer) maps a blind session's columns to runs.
 */
import { create } from 'zustand';
import type {
  AnnotationState,
  AnnotationTag,
  SessionDetail,
  SessionItem,
  SessionItemFilter,
  SessionItemRow,
  SessionSummary,
  Severity,
  Verdict,
} from '../../../../shared/annotations';
import type { CompareFilter } from '../../../../shared/compare';
import type { CallInput } from '../../../../shared/contract';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';

/** A column on screen, or the item itself. */
export type Focus = number | 'item';

export type Edit = Pick<AnnotationState, 'tagIds' | 'verdict' | 'severity' | 'note'>;

interface Change {
  ord: number;
  column: number | null;
  before: Edit;
  after: Edit;
}

const VERDICT_CYCLE: (Verdict | null)[] = [null, 'correct', 'partly', 'incorrect'];
const SEVERITY_CYCLE: (Severity | null)[] = [null, 'none', 'mild', 'moderate', 'severe'];
export const nextVerdict = (v: Verdict | null): Verdict | null => VERDICT_CYCLE[(VERDICT_CYCLE.indexOf(v) + 1) % VERDICT_CYCLE.length]!;
export const nextSeverity = (v: Severity | null): Severity | null => SEVERITY_CYCLE[(SEVERITY_CYCLE.indexOf(v) + 1) % SEVERITY_CYCLE.length]!;

const REVIEWER_KEY = 'medtask.reviewer';

export function rememberedReviewer(): string {
  try {
    return localStorage.getItem(REVIEWER_KEY) ?? '';
  } catch {
    return '';
  }
}

/** The Compare view's rows a session is started on: its filter (runs A/B as indexes into the runs), search and row count. */
export interface StartView {
  filter: CompareFilter;
  search: string | null;
  rows: number;
}

interface ReviewState {
  sessions: SessionSummary[] | null;
  tags: AnnotationTag[];
  session: SessionDetail | null;
  rows: SessionItemRow[];
  filter: SessionItemFilter;
  item: SessionItem | null;
  focus: Focus;
  undo: Change[];
  redo: Change[];
  error: ApiErrorData | null;
  startOpen: boolean;
  /** Runs the start dialog offers first (the run open in the Runs view). */
  startRunIds: number[];
  /** Set when started from the Compare view: its filter and search, so the session holds exactly the rows it shows. */
  startView: StartView | null;

  loadSessions(): Promise<void>;
  loadTags(): Promise<void>;
  openStart(runIds: number[], view?: StartView): void;
  closeStart(): void;
  start(input: CallInput<'createAnnotationSession'>): Promise<SessionDetail>;
  openSession(sessionId: number): Promise<void>;
  closeSession(): void;
  setFilter(filter: SessionItemFilter): Promise<void>;
  goTo(ord: number): Promise<void>;
  step(delta: 1 | -1): Promise<void>;
  setFocus(focus: Focus): void;
  /** Writes the focused (or given) output's annotation with `patch` applied; recorded for undo. */
  change(patch: Partial<Edit>, column?: Focus): Promise<void>;
  toggleTag(tagId: number): Promise<void>;
  /** `v` and `s`: the next verdict or harm level of the focused output. */
  cycle(field: 'verdict' | 'severity'): Promise<void>;
  undoLast(): Promise<void>;
  redoLast(): Promise<void>;
  end(): Promise<void>;
  refreshSession(): Promise<void>;
  dismissError(): void;
}

const itemAnswer = lateAnswerGuard();

export function annotationAt(item: SessionItem, focus: Focus): AnnotationState {
  return focus === 'item' ? item.item : (item.columns[focus]?.annotation ?? item.item);
}

const editOf = (a: AnnotationState): Edit => ({ tagIds: [...a.tagIds], verdict: a.verdict, severity: a.severity, note: a.note });

export const useReview = create<ReviewState>()((set, get) => {
  const fail = (err: unknown) => set({ error: toErrorData(err) });
  // Keys arrive faster than answers: each edit or move waits for the one before, so it reads the
  // state that one left (a tag toggled, then `v`, must not write the tags from before the toggle).
  let chain: Promise<unknown> = Promise.resolve();
  const queued = <T>(job: () => Promise<T>): Promise<T> => {
    const next = chain.then(job, job);
    chain = next.catch(() => undefined);
    return next;
  };

  async function write(ord: number, column: Focus, edit: Edit): Promise<void> {
    const s = get().session;
    if (!s) return;
    const item = await getClient().annotate({ sessionId: s.id, ord, column: column === 'item' ? null : column, ...edit });
    if (get().item?.ord === ord && get().session?.id === s.id) set({ item });
  }

  async function changeNow(patch: Partial<Edit>, column?: Focus): Promise<void> {
    const { item, focus } = get();
    if (!item) return;
    const target = column ?? focus;
    const before = editOf(annotationAt(item, target));
    const after = { ...before, ...patch };
    try {
      await write(item.ord, target, after);
      set((st) => ({ undo: [...st.undo, { ord: item.ord, column: target === 'item' ? null : target, before, after }].slice(-200), redo: [] }));
      void get().refreshSession();
    } catch (err) {
      fail(err);
    }
  }

  /** Undo writes the state before the last change; redo the state after it. */
  async function replay(which: 'undo' | 'redo'): Promise<void> {
    const last = get()[which].at(-1);
    if (!last) return;
    try {
      if (get().item?.ord !== last.ord) await get().goTo(last.ord);
      await write(last.ord, last.column ?? 'item', which === 'undo' ? last.before : last.after);
      set((st) =>
        which === 'undo'
          ? { undo: st.undo.slice(0, -1), redo: [...st.redo, last], focus: last.column ?? 'item' }
          : { redo: st.redo.slice(0, -1), undo: [...st.undo, last], focus: last.column ?? 'item' },
      );
      void get().refreshSession();
    } catch (err) {
      fail(err);
    }
  }

  return {
    sessions: null,
    tags: [],
    session: null,
    rows: [],
    filter: 'all',
    item: null,
    focus: 0,
    undo: [],
    redo: [],
    error: null,
    startOpen: false,
    startRunIds: [],
    startView: null,

    async loadSessions() {
      try {
        set({ sessions: await getClient().listAnnotationSessions({}) });
      } catch (err) {
        fail(err);
      }
    },
    async loadTags() {
      try {
        set({ tags: await getClient().listAnnotationTags({}) });
      } catch (err) {
        fail(err);
      }
    },
    openStart(runIds, view) {
      set({ startOpen: true, startRunIds: runIds, startView: view ?? null });
    },
    closeStart() {
      set({ startOpen: false });
    },
    async start(input) {
      const session = await getClient().createAnnotationSession(input);
      try {
        localStorage.setItem(REVIEWER_KEY, input.reviewer);
      } catch {
        // Storage may be off (private window): the name is simply asked for again.
      }
      set({ startOpen: false });
      await get().openSession(session.id);
      return session;
    },
    async openSession(sessionId) {
      try {
        const client = getClient();
        const [session, rows] = await Promise.all([client.getAnnotationSession({ sessionId }), client.listSessionItems({ sessionId, filter: 'all' })]);
        set({ session, rows, filter: 'all', undo: [], redo: [], focus: 0, item: null, error: null });
        void get().loadTags();
        await get().goTo(session.position);
      } catch (err) {
        fail(err);
      }
    },
    closeSession() {
      itemAnswer.invalidate();
      set({ session: null, item: null, rows: [], undo: [], redo: [] });
      void get().loadSessions();
    },
    async setFilter(filter) {
      const s = get().session;
      if (!s) return;
      try {
        set({ filter, rows: await getClient().listSessionItems({ sessionId: s.id, filter }) });
      } catch (err) {
        fail(err);
      }
    },
    async goTo(ord) {
      const s = get().session;
      if (!s) return;
      const latest = itemAnswer.start();
      try {
        const item = await getClient().getSessionItem({ sessionId: s.id, ord });
        if (!latest()) return;
        // The focused output stays where it was (same column), as a reviewer moving down a list expects.
        const focus = get().focus;
        set({ item, focus: focus === 'item' || focus < item.columns.length ? focus : 0 });
        void getClient().setSessionPosition({ sessionId: s.id, ord });
      } catch (err) {
        if (latest()) fail(err);
      }
    },
    step(delta) {
      return queued(async () => {
        const { item, rows } = get();
        if (!item) return;
        // Within the filtered list when a filter is on, else simply the next ord.
        const at = rows.findIndex((r) => r.ord === item.ord);
        const next = at >= 0 ? rows[at + delta]?.ord : item.ord + delta;
        if (next === undefined || next < 0 || next >= item.total) return;
        await get().goTo(next);
      });
    },
    setFocus(focus) {
      set({ focus });
    },
    change(patch, column) {
      // The output is the one focused when the key was pressed, not when the write gets its turn.
      const target = column ?? get().focus;
      return queued(() => changeNow(patch, target));
    },
    toggleTag(tagId) {
      const target = get().focus;
      return queued(async () => {
        const { item } = get();
        if (!item) return;
        const tags = annotationAt(item, target).tagIds;
        await changeNow({ tagIds: tags.includes(tagId) ? tags.filter((t) => t !== tagId) : [...tags, tagId] }, target);
      });
    },
    cycle(field) {
      const target = get().focus;
      return queued(async () => {
        const { item } = get();
        if (!item) return;
        const a = annotationAt(item, target);
        await changeNow(field === 'verdict' ? { verdict: nextVerdict(a.verdict) } : { severity: nextSeverity(a.severity) }, target);
      });
    },
    undoLast() {
      return queued(() => replay('undo'));
    },
    redoLast() {
      return queued(() => replay('redo'));
    },
    async end() {
      const s = get().session;
      if (!s) return;
      try {
        const session = await getClient().endAnnotationSession({ sessionId: s.id });
        set({ session });
        if (get().item) await get().goTo(get().item!.ord);
      } catch (err) {
        fail(err);
      }
    },
    async refreshSession() {
      const s = get().session;
      if (!s) return;
      try {
        const [session, rows] = await Promise.all([
          getClient().getAnnotationSession({ sessionId: s.id }),
          getClient().listSessionItems({ sessionId: s.id, filter: get().filter }),
        ]);
        if (get().session?.id === s.id) set({ session, rows });
      } catch {
        // Progress is refreshed again after the next change.
      }
    },
    dismissError() {
      set({ error: null });
    },
  };
});
