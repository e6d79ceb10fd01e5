import { useState, type RefObject } from 'react';
import { focusById } from '../lib/listKeys';
import { PathPicker, type PickMode } from './PathPicker';

interface PathInputProps {
  id: string;
  testId: string;
  value: string;
  onChange(value: string): void;
  invalid?: boolean;
  placeholder: string;
  inputRef?: RefObject<HTMLInputElement | null>;
  browseTestId: string;
  browseTitle?: string;
  browseDisabled?: boolean;
  picker: { title: string; memoryKey: string; mode: PickMode; extensions?: readonly string[]; multiple?: boolean; testId: string };
  /** The field's new value from what was picked (default: the first path). */
  fromPicked?(picked: string[], current: string): string;
}

/** A path typed on one line, or picked with Browse… from the engine machine's folders. */
export function PathInput({ id, testId, value, onChange, invalid, placeholder, inputRef, browseTestId, browseTitle, browseDisabled, picker, fromPicked }: PathInputProps) {
  const [browsing, setBrowsing] = useState(false);
  return (
    <div className="path-row">
      <input
        ref={inputRef}
        id={id}
        data-testid={testId}
        className="text-input mono grow"
        type="text"
        spellCheck={false}
        autoComplete="off"
        placeholder={placeholder}
        value={value}
        aria-invalid={invalid ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <button type="button" className="button" data-testid={browseTestId} title={browseTitle} disabled={browseDisabled} onClick={() => setBrowsing(true)}>
        Browse…
      </button>
      {browsing && (
        <PathPicker
          {...picker}
          onClose={() => setBrowsing(false)}
          onPick={(picked) => {
            setBrowsing(false);
            if (picked.length > 0) onChange(fromPicked ? fromPicked(picked, value) : picked[0]!);
            focusById(id);
          }}
        />
      )}
    </div>
  );
}
