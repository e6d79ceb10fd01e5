import { useLibrary } from './libraryStore';
import { BenchmarkList } from './BenchmarkList';
import { Pane } from '../../ui/Pane';
import { TaskList } from './TaskList';
import './library.css';

export function LibraryPane() {
  const benchmarks = useLibrary((s) => s.benchmarks);
  const openId = useLibrary((s) => s.openBenchmarkId);
  const tasks = useLibrary((s) => s.tasks);
  const open = benchmarks?.find((b) => b.id === openId);

  return (
    <div className="library-pane">
      <Pane title="Benchmarks" label="Benchmarks" className="benchmarks-pane">
        <BenchmarkList />
      </Pane>
      <Pane
        title={open ? `Tasks · ${open.title}` : 'Tasks'}
        label="Tasks"
        className="tasks-pane"
        actions={tasks ? <span className="pane-meta">{tasks.length}</span> : undefined}
      >
        <TaskList />
      </Pane>
    </div>
  );
}
