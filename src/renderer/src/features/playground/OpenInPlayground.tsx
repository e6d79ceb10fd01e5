/**
 * "Open in Playground": the button other views (the Library's item view, Compare's item detail) put
 * beside an item; it sends the item, with its rendered prompt, to the Playground view and goes there.
 */
import type { Item } from '../../../../shared/domain';
import { useView } from '../../app/viewStore';
import { usePlayground } from './playgroundStore';
import { recordedPrompt, type PlaygroundItem } from './playgroundItem';
import { PLAYGROUND_PROMPT_ID } from './PlaygroundView';

type Source =
  /** A library item: rendered as a run would render it (the benchmark's own strategy, changeable there). */
  | { item: Item }
  /** A prompt exactly as a run sent it (its recorded messages), with the item's label and gold. */
  | { prompt: unknown; info: Omit<PlaygroundItem, 'ref' | 'strategy' | 'shots' | 'templateHash'> };

function focusPrompt(): void {
  requestAnimationFrame(() => document.getElementById(PLAYGROUND_PROMPT_ID)?.focus());
}

export function OpenInPlayground(props: Source & { className?: string }) {
  const recorded = 'prompt' in props ? recordedPrompt(props.prompt) : null;
  const disabled = 'prompt' in props && recorded === null;
  return (
    <button
      type="button"
      className={props.className ?? 'mini-button'}
      data-testid="open-in-playground"
      disabled={disabled}
      title={disabled ? 'This run did not record the prompt it sent' : 'Try this item’s prompt on 1–4 models in the Playground (Ctrl+5)'}
      onClick={() => {
        const playground = usePlayground.getState();
        if ('item' in props) void playground.openItem(props.item);
        else if (recorded) playground.openPrompt(props.info, recorded);
        useView.getState().setView('playground');
        focusPrompt();
      }}
    >
      Open in Playground
    </button>
  );
}
