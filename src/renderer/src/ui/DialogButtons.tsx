import type { ReactNode, Ref } from 'react';

interface DialogButtonsProps {
  /** What Enter and Esc do, as told in the key hint. */
  enter: string;
  esc?: string;
  cancelTestId: string;
  cancelLabel?: string;
  onCancel(): void;
  /** The Cancel/Close button, for a dialog that moves focus to it when its work is done. */
  cancelRef?: Ref<HTMLButtonElement>;
  /** The buttons after Cancel. */
  children: ReactNode;
}

/** A dialog's button row: the key hint, Cancel, then the dialog's own buttons. */
export function DialogButtons({ enter, esc = 'cancel', cancelTestId, cancelLabel = 'Cancel', onCancel, cancelRef, children }: DialogButtonsProps) {
  return (
    <div className="dialog-buttons">
      <span className="dialog-keys muted">
        <kbd>Enter</kbd> {enter} · <kbd>Esc</kbd> {esc}
      </span>
      <button ref={cancelRef} type="button" className="button" data-testid={cancelTestId} onClick={onCancel}>
        {cancelLabel}
      </button>
      {children}
    </div>
  );
}
