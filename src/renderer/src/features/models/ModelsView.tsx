import { useEffect } from 'react';
import { plural } from '../../lib/format';
import { useModels } from './modelsStore';
import { ModelList } from './ModelList';
import { ModelConfigList } from './ModelConfigList';
import { ModelsToolbar } from './ModelsToolbar';
import { Pane } from '../../ui/Pane';
import { RuntimePanel } from './RuntimePanel';
import './models.css';

/** Local models: the library of GGUF files and adapters, and what the runtime holds (the Playground is its own view, Ctrl+5). */
export function ModelsView() {
  const counts = useModels((s) => (s.list ? `${plural(s.list.models.length, 'model')} · ${plural(s.list.adapters.length, 'adapter')}` : null));

  // Files may have moved, and the CLI may have added models, since the view was last shown.
  useEffect(() => {
    void useModels.getState().init();
  }, []);

  return (
    <main className="models-view" data-testid="models-view">
      <ModelsToolbar />
      <div className="models-workbench">
        <div className="models-side">
          <Pane title="Models" label="Models" className="models-pane" actions={counts !== null ? <span className="pane-meta">{counts}</span> : undefined}>
            <ModelList />
          </Pane>
          <RuntimePanel />
          <Pane title="Configurations" label="Configurations" className="models-configs-pane">
            <ModelConfigList />
          </Pane>
        </div>
      </div>
    </main>
  );
}
