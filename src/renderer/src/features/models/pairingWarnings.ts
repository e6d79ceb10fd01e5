/** The adapter/base check on a model + adapters the user has picked but not saved (plain .ts: store tests import it under Node). */
import { adapterBaseWarning } from '../../../../shared/adapterBase';
import type { ModelConfigWarning, ModelList } from '../../../../shared/models';

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
