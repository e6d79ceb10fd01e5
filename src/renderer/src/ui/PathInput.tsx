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
  /** `save`: the field names a file to write; in the desktop app Browse… then shows a native save dialog. */
  picker: { title: string; memoryKey: string; mode: PickMode; extensions?: readonly string[]; multiple?: boolean; testId: string; save?: boolean };
  /** The field's new value from what was picked (default: the first path). */
  fromPicked?(picked: string[], current: string): string;
}

/**
 * A path typed on one line, or picked with Browse…: in the desktop app through the OS's own
 * dialog (main then lets the engine use exactly what was picked), elsewhere from the engine
 * machine's folders.
 */
export function PathInput({
  id,
  testId,
  value,
  onChange,
  invalid,
  placeholder,
  inputRef,
  browseTestId,
  browseTitle,
  browseDisabled,
  picker,
  fromPicked,
}: PathInputProps) {
  const [browsing, setBrowsing] = useState(false);
  const pick = (picked: string[]) => {
    if (picked.length > 0) onChange(fromPicked ? fromPicked(picked, value) : picked[0]!);
  };
  const browse = async () => {
    const dialogs = window.medtask?.dialogs;
    if (!dialogs) return setBrowsing(true);
    const filters = picker.extensions?.length ? [{ name: picker.title.slice(0, 80), extensions: [...picker.extensions] }] : undefined;
    const start = value.trim() || undefined;
    if (picker.save) {
      const saved = await dialogs.save({ title: picker.title, filters, defaultPath: start });
      if (!saved.ok) return setBrowsing(true);
      if (saved.value.path) onChange(saved.value.path);
    } else {
      const opened = await dialogs.open({ title: picker.title, pick: picker.mode, multiple: picker.multiple ?? false, filters, defaultPath: start });
      if (!opened.ok) return setBrowsing(true);
      pick(opened.value.paths);
    }
    focusById(id);
  };
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
      <button
        type="button"
        className="button"
        data-testid={browseTestId}
        title={browseTitle}
        disabled={browseDisabled}
        onClick={() => void browse().catch(() => setBrowsing(true))}
      >
        Browse…
      </button>
      {browsing && (
        <PathPicker
          {...picker}
          onClose={() => setBrowsing(false)}
          onPick={(picked) => {
            setBrowsing(false);
            pick(picked);
            focusById(id);
          }}
        />
      )}
    </div>
  );
}
