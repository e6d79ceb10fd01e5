import type { ReactNode } from 'react';
import type { QueryTerm } from '../../../../shared/queryTerms';
import { Prose } from '../../ui/AnswerView';

interface ProseFieldProps {
  label: ReactNode;
  testId: string;
  text: string;
  terms?: QueryTerm[];
}

/**
 * One prose field of an item (instruction, input) in a proportional font, with the search words marked.
 * The test id sits on the element holding only the field's text, so that text can be compared exactly.
 */
export function ProseField({ label, testId, text, terms }: ProseFieldProps) {
  return (
    <section className="field">
      <h3 className="field-label">{label}</h3>
      <Prose text={text} terms={terms} testId={testId} />
    </section>
  );
}
