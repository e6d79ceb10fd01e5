import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';

interface DialogProps {
  title: ReactNode;
  testId: string;
  className?: string;
  /** Escape, the backdrop and any Cancel button call this. */
  onClose(): void;
  /** Enter outside buttons and multi-line fields calls this (the dialog's main action). */
  onEnter?(): void;
  /** Focused when the dialog opens; otherwise the first focusable element. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Where focus goes on close; by default back to where it was when the dialog opened. */
  returnFocusId?: string;
  children: ReactNode;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** How many dialogs are open: the app behind stays inert until the last one closes. */
let openDialogs = 0;
/** Open dialogs, innermost last: only it answers keys that land outside every dialog. */
const dialogStack: HTMLElement[] = [];

function setAppInert(inert: boolean): void {
  const root = document.getElementById('root');
  if (root) root.inert = inert;
}

/** True while a modal dialog is open, so global shortcuts leave the keyboard to it. */
export function isDialogOpen(): boolean {
  return openDialogs > 0;
}

function focusables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
}

/**
 * A modal dialog: the rest of the app is inert, Tab cycles inside, Escape closes, and
 * focus goes back where it was when the dialog closes.
 */
export function Dialog({ title, testId, className, onClose, onEnter, initialFocus, returnFocusId, children }: DialogProps) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  // Focus can fall out of the dialog onto <body> (the focused button gets disabled while work runs, a
  // result replaces it): keys there never reach the dialog's own handler, so Esc would stop closing it
  // and Tab would leave it. The innermost dialog catches those keys on the document and takes focus back.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    dialogStack.push(el);
    const onDocumentKey = (event: globalThis.KeyboardEvent) => {
      if (dialogStack.at(-1) !== el || event.isComposing) return;
      const target = event.target instanceof Node ? event.target : null;
      if (target && target !== document.body && target !== document.documentElement) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        onCloseRef.current();
      } else if (event.key === 'Tab') {
        event.preventDefault();
        const els = focusables(el);
        (event.shiftKey ? els.at(-1) : els[0])?.focus();
      }
    };
    document.addEventListener('keydown', onDocumentKey);
    return () => {
      document.removeEventListener('keydown', onDocumentKey);
      const i = dialogStack.lastIndexOf(el);
      if (i !== -1) dialogStack.splice(i, 1);
    };
  }, []);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    openDialogs += 1;
    setAppInert(true);
    const target = initialFocus?.current ?? (ref.current ? focusables(ref.current)[0] : undefined) ?? ref.current;
    target?.focus();
    return () => {
      openDialogs -= 1;
      if (openDialogs === 0) setAppInert(false);
      const back = (returnFocusId ? document.getElementById(returnFocusId) : null) ?? before;
      if (back?.isConnected) back.focus();
    };
    // Opening is the only moment focus moves; later renders must not steal it.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on open only, by design (above)
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // A dialog opened from inside another (a path picker in a form) is a portal whose events still
    // bubble through the React tree: the outer dialog must not act on keys meant for this one.
    event.stopPropagation();
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key === 'Tab' && ref.current) {
      const els = focusables(ref.current);
      const first = els[0];
      const last = els.at(-1);
      if (!first || !last) {
        event.preventDefault();
        return;
      }
      const active = document.activeElement;
      if (event.shiftKey && (active === first || !ref.current.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !ref.current.contains(active))) {
        event.preventDefault();
        first.focus();
      }
      return;
    }
    if (event.key === 'Enter' && onEnter && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      const target = event.target as HTMLElement;
      // Buttons and links act on Enter themselves; a multi-line field takes it as a newline.
      if (['BUTTON', 'A', 'TEXTAREA', 'SELECT', 'SUMMARY'].includes(target.tagName)) return;
      // Nor does Enter on a checkbox submit a form in a browser; here it must not pick or confirm either.
      if (target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio')) return;
      event.preventDefault();
      onEnter();
    }
  };

  return createPortal(
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={ref}
        className={className ? `dialog ${className}` : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 className="dialog-title" id={titleId}>
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}
