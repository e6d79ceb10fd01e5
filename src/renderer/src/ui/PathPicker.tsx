import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { toErrorData, type ApiErrorData } from '../../../shared/errors';
import type { DirectoryEntry, DirectoryListing } from '../../../shared/files';
import { getClient } from '../client/current';
import { formatBytes, plural } from '../lib/format';
import { lateAnswerGuard } from '../lib/lateAnswer';
import { Dialog } from './Dialog';
import { DialogButtons } from './DialogButtons';
import { ErrorNote } from './ErrorNote';
import { VirtualList } from './VirtualList';

export type PickMode = 'file' | 'folder' | 'any';

interface PathPickerProps {
  title: string;
  /** Remembers the last folder per picker, so "Add model" and "Import" each reopen where they were. */
  memoryKey: string;
  mode: PickMode;
  /** Files shown by default (the others can be shown with a checkbox); folders always show. */
  extensions?: readonly string[];
  multiple?: boolean;
  testId: string;
  onPick(paths: string[]): void;
  onClose(): void;
}

const ROW_HEIGHT = 24;
const STORAGE_PREFIX = 'medtask.picker.';

function remembered(key: string): string | undefined {
  try {
    return localStorage.getItem(STORAGE_PREFIX + key) ?? undefined;
  } catch {
    return undefined;
  }
}

function remember(key: string, folder: string): void {
  try {
    localStorage.setItem(STORAGE_PREFIX + key, folder);
  } catch {
    // Storage may be off (private window); the picker then starts at home each time.
  }
}

function formatModified(iso: string | undefined): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '';
}

/**
 * Browses the engine machine's folders (the engine lists them, so this works the same in the
 * desktop window and in a browser on another machine). Keyboard: arrows move, Enter opens a
 * folder or picks a file, Backspace goes up, Space marks several entries when `multiple`.
 */
export function PathPicker({ title, memoryKey, mode, extensions, multiple = false, testId, onPick, onClose }: PathPickerProps) {
  const [listing, setListing] = useState<DirectoryListing | null>(null);
  const [error, setError] = useState<ApiErrorData | null>(null);
  const [loading, setLoading] = useState(false);
  const [typed, setTyped] = useState('');
  const [cursor, setCursor] = useState<number | null>(null);
  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const [allFiles, setAllFiles] = useState(false);
  const [showHidden, setShowHidden] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  /** A later navigation wins: the listing of an older one is dropped. */
  const [listingAnswer] = useState(lateAnswerGuard);
  /** Edits of the path box; a listing that arrives after the user typed must not overwrite the text. */
  const edits = useRef(0);

  const open = useCallback(
    async (folder: string | undefined, focusName?: string): Promise<'ok' | 'failed' | 'superseded'> => {
      const isLatest = listingAnswer.start();
      const editsAtStart = edits.current;
      setLoading(true);
      try {
        const next = await getClient().listDirectory({
          ...(folder !== undefined ? { path: folder } : {}),
          ...(extensions && !allFiles ? { extensions: [...extensions] } : {}),
          ...(showHidden ? { showHidden } : {}),
        });
        if (!isLatest()) return 'superseded'; // a later navigation won
        setListing(next);
        if (edits.current === editsAtStart) setTyped(next.path);
        setError(null);
        setMarked(new Set());
        const back = focusName !== undefined ? next.entries.findIndex((e) => e.name === focusName) : -1;
        setCursor(next.entries.length === 0 ? null : Math.max(0, back));
        remember(memoryKey, next.path);
        return 'ok';
      } catch (err) {
        if (!isLatest()) return 'superseded';
        // The listing shown stays as it was; the error says which path failed, next to the path box.
        setError(toErrorData(err));
        return 'failed';
      } finally {
        if (isLatest()) setLoading(false);
      }
    },
    [extensions, allFiles, showHidden, memoryKey, listingAnswer],
  );

  useEffect(() => {
    const start = listing?.path ?? remembered(memoryKey);
    const first = listing === null;
    // Listing the folder is the outside system this effect follows; open() marks it loading as it asks.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void open(start)
      // A remembered folder that has since gone: start at home instead (its listing clears the error).
      .then((outcome) => (outcome === 'failed' && first && start !== undefined ? open(undefined) : outcome))
      // Only when this listing is the one shown: the user may have typed a path meanwhile.
      .then((outcome) => {
        if (outcome === 'ok') listRef.current?.querySelector<HTMLElement>('[role="listbox"]')?.focus();
      });
    // Re-list when a filter changes; the first run opens the remembered folder.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the filters alone decide when to list again
  }, [allFiles, showHidden]);

  const entries = listing?.entries ?? [];
  const current = cursor !== null ? entries[cursor] : undefined;
  const canPick = (e: DirectoryEntry): boolean => mode === 'any' || (mode === 'file' ? e.kind === 'file' : e.kind === 'dir');

  const goUp = () => {
    if (!listing?.parent) return;
    const name = listing.path.split(/[\\/]/).filter(Boolean).at(-1);
    void open(listing.parent, name);
  };

  const activate = (e: DirectoryEntry) => {
    if (e.kind === 'dir') void open(e.path);
    else if (canPick(e)) onPick([e.path]);
  };

  /** The highlighted entry, or the marked ones; with nothing pickable highlighted, the folder shown. */
  const choose = () => {
    if (marked.size > 0) onPick(entries.filter((e) => marked.has(e.path)).map((e) => e.path));
    else if (current && canPick(current)) onPick([current.path]);
    else if (mode !== 'file' && listing) onPick([listing.path]);
  };

  /** With entries marked, Enter takes them all rather than opening the highlighted one. */
  const onListKeysFirst = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || marked.size === 0 || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    event.stopPropagation();
    choose();
  };

  const onListKeys = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Backspace') {
      event.preventDefault();
      goUp();
    } else if (event.key === ' ' && multiple && current && canPick(current)) {
      event.preventDefault();
      setMarked((m) => {
        const next = new Set(m);
        if (next.has(current.path)) next.delete(current.path);
        else next.add(current.path);
        return next;
      });
      if (cursor !== null && cursor < entries.length - 1) setCursor(cursor + 1);
    } else if (event.key === 'Enter') {
      // The list's own Enter opens; keep it from reaching the dialog's default action.
      event.stopPropagation();
    }
  };

  const folders = entries.filter((e) => e.kind === 'dir').length;
  const files = entries.length - folders;
  const pickable = current !== undefined && canPick(current);
  return (
    <Dialog title={title} testId={testId} className="picker-dialog" onClose={onClose} onEnter={choose}>
      <div className="picker-bar">
        {listing?.places.map((p) => (
          <button key={p.path} type="button" className="button" data-testid="picker-place" title={p.path} onClick={() => void open(p.path)}>
            {p.label}
          </button>
        ))}
        <button type="button" className="button" data-testid="picker-up" disabled={!listing?.parent} title="Parent folder (Backspace)" onClick={goUp}>
          Up
        </button>
        <input
          className="text-input mono grow"
          data-testid="picker-path"
          aria-label="Folder"
          spellCheck={false}
          autoComplete="off"
          value={typed}
          onChange={(e) => {
            edits.current += 1;
            setTyped(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              e.stopPropagation();
              void open(typed);
            }
          }}
        />
      </div>
      {error && <ErrorNote error={error} testId="picker-error" />}
      <div ref={listRef} className="picker-list-wrap" onKeyDown={onListKeys} onKeyDownCapture={onListKeysFirst}>
        <VirtualList
          id={`${testId}-list`}
          testId="picker-list"
          className="list picker-list"
          label={listing ? `Contents of ${listing.path}` : 'Folder contents'}
          rows={entries}
          rowHeight={ROW_HEIGHT}
          cursor={cursor}
          activeId={cursor !== null ? `${testId}-row-${cursor}` : undefined}
          busy={loading}
          onMove={setCursor}
          onOpen={(i) => {
            const e = entries[i];
            if (e) activate(e);
          }}
          renderRow={(e, i, style) => (
            <div
              key={e.path}
              id={`${testId}-row-${i}`}
              data-testid="picker-row"
              data-kind={e.kind}
              role="option"
              aria-selected={i === cursor}
              className={marked.has(e.path) ? 'row picker-row marked' : 'row picker-row'}
              style={style}
              title={e.path}
              onClick={() => setCursor(i)}
              onDoubleClick={() => activate(e)}
            >
              <span className="picker-mark" aria-hidden="true">
                {marked.has(e.path) ? '✓' : ''}
              </span>
              <span className="picker-kind" aria-hidden="true">
                {e.kind === 'dir' ? '▸' : ''}
              </span>
              <span className="picker-name">
                {e.name}
                {e.kind === 'dir' ? '/' : ''}
              </span>
              <span className="picker-size">{e.size !== undefined ? formatBytes(e.size) : ''}</span>
              <span className="picker-time">{formatModified(e.modified)}</span>
            </div>
          )}
        />
        {listing && entries.length === 0 && <p className="picker-empty muted">Nothing here{listing.hiddenByFilter > 0 ? ' with a matching extension' : ''}.</p>}
      </div>
      <div className="picker-status muted" data-testid="picker-status">
        {listing && (
          <>
            {plural(folders, 'folder')}, {plural(files, 'file')}
            {listing.truncated ? ' (first ones only)' : ''}
            {listing.hiddenByFilter > 0 && ` · ${plural(listing.hiddenByFilter, 'other file')} hidden`}
          </>
        )}
        <span className="picker-filters">
          <label className="check" title="Names starting with a dot, such as .cache">
            <input type="checkbox" data-testid="picker-hidden" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} />
            hidden folders and files
          </label>
          {extensions && (
            <label className="check">
              <input type="checkbox" data-testid="picker-all-files" checked={allFiles} onChange={(e) => setAllFiles(e.target.checked)} />
              show all files (not only {extensions.map((x) => `.${x}`).join(', ')})
            </label>
          )}
        </span>
      </div>
      <DialogButtons
        enter={multiple ? 'open or choose (the marked ones, if any) · Space mark · Backspace up' : 'open or choose · Backspace up'}
        cancelTestId="picker-cancel"
        onCancel={onClose}
      >
        {mode !== 'file' && (
          <button
            type="button"
            className="button"
            data-testid="picker-choose-folder"
            disabled={!listing}
            title={listing?.path}
            onClick={() => listing && onPick([listing.path])}
          >
            Choose this folder
          </button>
        )}
        <button
          type="button"
          className="button primary"
          data-testid="picker-choose"
          disabled={marked.size === 0 && !pickable}
          title={current?.path}
          onClick={choose}
        >
          {marked.size > 0 ? `Choose ${marked.size} marked` : pickable ? `Choose ${current.name}` : 'Choose'}
        </button>
      </DialogButtons>
    </Dialog>
  );
}
