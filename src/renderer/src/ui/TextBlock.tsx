import type { ReactNode } from 'react';

interface TextBlockProps {
  label: ReactNode;
  testId: string;
  text: string;
}

/**
 * One field of an item. The test id sits on the element holding only the field's text,
 * so that text can be compared exactly; the label lives outside it.
 */
export function TextBlock({ label, testId, text }: TextBlockProps) {
  return (
    <section className="field">
      <h3 className="field-label">{label}</h3>
      <div className="text" data-testid={testId}>
        {text}
      </div>
    </section>
  );
}
