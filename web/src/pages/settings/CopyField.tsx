import { useId, useRef, useState } from 'react';

/**
 * A read-only value with a Copy button (an API key, an invitation link, a webhook URL). The input keeps it
 * selectable by hand when the clipboard is not available; the result of copying is announced.
 */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: React.ReactNode }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={hint ? `${id}-hint` : undefined}
        />
        <button type="button" className="btn" onClick={() => void copy()} aria-label={`Copy ${label}`}>
          Copy
        </button>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <p className="copy-status" role="status">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'no'
            ? 'The clipboard is not available here: the text is selected, copy it with Ctrl+C / ⌘C.'
            : ''}
      </p>
    </div>
  );
}
