/** Warnings that a LoRA adapter is paired with a base model it was not made for: a saved configuration's, or the setup being edited. */
import { adapterBaseWarning } from '../../../../shared/adapterBase';
import type { ModelConfigWarning, ModelList } from '../../../../shared/models';
import { useModels } from './modelsStore';

/** The same check the core runs when saving, on a model + adapters not saved yet. */
export function pairingWarnings(list: ModelList | null, modelId: number, adapterIds: readonly number[]): ModelConfigWarning[] {
  const model = list?.models.find((m) => m.id === modelId);
  if (!list || !model) return [];
  const nameOf = (id: number) => list.models.find((m) => m.id === id)?.name;
  return adapterIds.flatMap((id) => {
    const adapter = list.adapters.find((a) => a.id === id);
    const w = adapter ? adapterBaseWarning(model, adapter, nameOf) : null;
    return w ? [w] : [];
  });
}

/** Shows warnings under a configuration or a model picker; nothing when there are none. */
export function BaseWarnings({ warnings }: { warnings: readonly ModelConfigWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="base-warnings" data-testid="adapter-base-warnings">
      {warnings.map((w) => (
        <li key={w.adapterId} className="base-warning" data-testid="adapter-base-warning" data-adapter-id={w.adapterId}>
          <span aria-hidden="true">⚠ </span>
          {w.message} Choose “{w.expectedBase}” as the model, or set the adapter’s base under Models.
        </li>
      ))}
    </ul>
  );
}

/** For a model picker with adapters ticked: warns before the configuration is saved. */
export function PairingWarnings({ modelId, adapterIds }: { modelId: number; adapterIds: readonly number[] }) {
  const list = useModels((s) => s.list);
  return <BaseWarnings warnings={pairingWarnings(list, modelId, adapterIds)} />;
}
