import { useRef } from 'react';

/**
 * A button that asks first, in a native modal <dialog> (focus trapped, Escape cancels, focus returns to
 * the button): for pause, cancel, revoke, remove.
 */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel,
  onConfirm,
  danger,
  disabled,
  className,
  ariaLabel,
}: {
  children: React.ReactNode;
  title: string;
  message: React.ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  danger?: boolean;
  disabled?: boolean;
  className?: string;
  ariaLabel?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button
        type="button"
        className={className ?? (danger ? 'btn btn-danger-ghost' : 'btn')}
        disabled={disabled}
        aria-label={ariaLabel}
        onClick={() => dialog.current?.showModal()}
      >
        {children}
      </button>
      <dialog ref={dialog} className="dialog" aria-label={title}>
        <form method="dialog">
          <h2>{title}</h2>
          <div className="dialog-body">{message}</div>
          <div className="dialog-actions">
            <button type="submit" className="btn" value="cancel" autoFocus>
              Keep as is
            </button>
            <button type="submit" className={danger ? 'btn btn-danger' : 'btn btn-primary'} value="confirm" onClick={onConfirm}>
              {confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
