import type { ReactNode } from 'react';

export interface ImportTableColumn {
  label: string;
  /** Right-aligned figures. */
  num?: boolean;
}

/** The scrolling table of splits shown before and after an import; `children` are its body rows. */
export function ImportTable({ wrapClassName, columns, children }: { wrapClassName?: string; columns: readonly ImportTableColumn[]; children: ReactNode }) {
  return (
    <div className={wrapClassName ? `import-table-wrap ${wrapClassName}` : 'import-table-wrap'}>
      <table className="import-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} className={c.num ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
