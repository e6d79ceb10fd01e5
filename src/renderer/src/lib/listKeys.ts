import type { KeyboardEvent } from 'react';

export interface ListKeyOptions {
  count: number;
  /** The row that has the keyboard cursor, or null before anything was chosen. */
  index: number | null;
  /** Rows moved by PageUp/PageDown. */
  pageSize?: number;
  onMove(index: number): void;
  onOpen(index: number): void;
}

/**
 * Keyboard handling shared by every list: arrows or j/k move, Home/End (g/G) jump,
 * Enter opens. Modified keys are left alone so browser and OS shortcuts keep working.
 */
export function listKeyHandler(opts: ListKeyOptions): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || opts.count === 0) return;
    const last = opts.count - 1;
    const current = opts.index;
    const page = Math.max(1, opts.pageSize ?? 10);
    let next: number | null = null;
    switch (event.key) {
      case 'ArrowDown':
      case 'j':
        next = current === null ? 0 : Math.min(last, current + 1);
        break;
      case 'ArrowUp':
      case 'k':
        next = current === null ? 0 : Math.max(0, current - 1);
        break;
      case 'PageDown':
        next = Math.min(last, (current ?? -1) + page);
        break;
      case 'PageUp':
        next = Math.max(0, (current ?? 0) - page);
        break;
      case 'Home':
      case 'g':
        next = 0;
        break;
      case 'End':
      case 'G':
        next = last;
        break;
      case 'Enter':
        if (current !== null) {
          event.preventDefault();
          opts.onOpen(current);
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    opts.onMove(next);
  };
}

/** Moves keyboard focus to a pane's list, so Enter in one pane can continue in the next. */
export function focusById(id: string): void {
  // After a state change the target may only render on the next frame.
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}
