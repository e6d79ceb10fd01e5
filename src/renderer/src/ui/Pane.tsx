import type { ReactNode } from 'react';

interface PaneProps {
  title: ReactNode;
  /** Accessible name of the pane when the title is not plain text. */
  label: string;
  actions?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function Pane({ title, label, actions, className, children }: PaneProps) {
  return (
    <section className={className ? `pane ${className}` : 'pane'} aria-label={label}>
      <header className="pane-header">
        <h2 className="pane-title">{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}
