import { focusById, listKeyHandler } from '../../lib/listKeys';
import { formatCount, plural } from '../../lib/format';
import { useLibrary } from './libraryStore';
import { ErrorNote } from '../../ui/ErrorNote';

export function BenchmarkList() {
  const benchmarks = useLibrary((s) => s.benchmarks);
  const error = useLibrary((s) => s.benchmarksError);
  const cursor = useLibrary((s) => s.benchmarkCursor);
  const openId = useLibrary((s) => s.openBenchmarkId);
  const { selectBenchmark, openBenchmark, loadBenchmarks } = useLibrary.getState();

  const list = benchmarks ?? [];
  const index = list.findIndex((b) => b.id === cursor);
  const onKeyDown = listKeyHandler({
    count: list.length,
    index: index === -1 ? null : index,
    onMove: (i) => {
      const b = list[i];
      if (b) selectBenchmark(b.id);
    },
    onOpen: (i) => {
      const b = list[i];
      if (!b) return;
      void openBenchmark(b.id);
      focusById('task-list');
    },
  });

  return (
    <>
      {error && <ErrorNote error={error} onRetry={() => void loadBenchmarks()} />}
      {benchmarks === null && !error && <p className="pane-note">Loading…</p>}
      <div
        id="benchmark-list"
        data-testid="benchmark-list"
        className="list benchmark-list"
        role="listbox"
        aria-label="Benchmarks"
        aria-busy={benchmarks === null}
        tabIndex={0}
        aria-activedescendant={cursor !== null ? `benchmark-${cursor}` : undefined}
        onKeyDown={onKeyDown}
      >
        {list.map((b) => (
          <div
            key={b.id}
            id={`benchmark-${b.id}`}
            data-testid="benchmark-row"
            role="option"
            aria-selected={b.id === cursor}
            className={b.id === openId ? 'row open' : 'row'}
            onClick={() => void openBenchmark(b.id)}
          >
            <div className="row-line">
              <span className="row-title">{b.title}</span>
              <span className="row-count" title={`${formatCount(b.itemCount)} items`}>
                {formatCount(b.itemCount)}
              </span>
            </div>
            <div className="row-sub">
              <span className="mono">{b.name}</span> · {plural(b.taskCount, 'task')}
            </div>
          </div>
        ))}
      </div>
    </>
  );
}
