import { create } from 'zustand';
import type { ImportProgress, ImportResult } from '../../../shared/domain';
import { toErrorData, type ApiErrorData } from '../../../shared/errors';
import { getClient } from '../client';
import { newImportId } from '../lib/newId';
import { addSample, totals, type ProgressSample } from '../lib/progressStats';
import { parsePaths } from '../lib/parsePaths';
import { useLibrary } from './library';

export type ImportStatus = 'idle' | 'running' | 'done' | 'failed';

interface ImporterState {
  text: string;
  status: ImportStatus;
  importId: string | null;
  /** Latest progress per file, in the order the files started. */
  files: ImportProgress[];
  /** Running totals at each progress event (recent ones only), for the rate and ETA. */
  samples: ProgressSample[];
  /** performance.now() when the import started and when it settled. */
  startedAt: number | null;
  endedAt: number | null;
  cancelling: boolean;
  result: ImportResult | null;
  error: ApiErrorData | null;

  setText(text: string): void;
  run(): Promise<void>;
  /** Imports the small demo pack shipped with the engine. */
  runDemo(): Promise<void>;
  cancel(): Promise<void>;
  dismiss(): void;
  /** Listens for progress events; returns the unsubscribe. */
  listen(): () => void;
}

type Starter = (importId: string) => Promise<ImportResult>;

export const useImporter = create<ImporterState>()((set, get) => ({
  text: '',
  status: 'idle',
  importId: null,
  files: [],
  samples: [],
  startedAt: null,
  endedAt: null,
  cancelling: false,
  result: null,
  error: null,

  setText(text) {
    set({ text });
  },

  async run() {
    if (get().status === 'running') return;
    const paths = parsePaths(get().text);
    if (paths.length === 0) {
      set({
        status: 'failed',
        result: null,
        files: [],
        samples: [],
        startedAt: null,
        endedAt: null,
        error: { code: 'invalid_input', message: 'Enter at least one file or folder path to import.' },
      });
      return;
    }
    await execute((importId) => getClient().importPaths({ paths, importId }));
  },

  async runDemo() {
    if (get().status === 'running') return;
    await execute((importId) => getClient().importDemo({ importId }));
  },

  async cancel() {
    const { status, importId } = get();
    if (status !== 'running' || importId === null) return;
    set({ cancelling: true });
    try {
      await getClient().cancelImport({ importId });
      // The pending importPaths call rejects once the rollback finishes; that settles the state.
    } catch (err) {
      set({ cancelling: false, error: toErrorData(err) });
    }
  },

  dismiss() {
    if (get().status === 'running') return;
    set({ status: 'idle', files: [], samples: [], startedAt: null, endedAt: null, result: null, error: null });
  },

  listen() {
    return getClient().on('importProgress', (progress) => {
      const { status, importId } = get();
      if (status !== 'running' || progress.importId !== importId) return;
      set((s) => {
        const at = s.files.findIndex((f) => f.file === progress.file);
        const files = s.files.slice();
        if (at === -1) files.push(progress);
        else files[at] = progress;
        const sum = totals(files);
        const samples = addSample(s.samples, { t: performance.now(), rows: sum.rows, bytes: sum.bytesRead });
        return { files, samples };
      });
    });
  },
}));

/** The run/settle/refresh sequence shared by path imports and the demo pack. */
async function execute(start: Starter): Promise<void> {
  const importId = newImportId();
  const startedAt = performance.now();
  useImporter.setState({
    status: 'running',
    importId,
    files: [],
    samples: [{ t: startedAt, rows: 0, bytes: 0 }],
    startedAt,
    endedAt: null,
    cancelling: false,
    result: null,
    error: null,
  });
  let result: ImportResult;
  try {
    result = await start(importId);
  } catch (err) {
    useImporter.setState({ status: 'failed', error: toErrorData(err), cancelling: false, endedAt: performance.now() });
    return;
  }
  useImporter.setState({ status: 'done', result, cancelling: false, endedAt: performance.now() });
  await useLibrary.getState().refreshAfterImport(result);
}
