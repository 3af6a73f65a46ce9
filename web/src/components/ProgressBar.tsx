/** Done out of total as a bar with its numbers in text (never colour alone); `text` words them otherwise ("20/day of 500/day"). */
export function ProgressBar({ done, total, label, text }: { done: number; total: number; label: string; text?: string }) {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total || 100}
      aria-valuenow={total ? done : 0}
      aria-valuetext={`${done.toLocaleString()} of ${total.toLocaleString()} (${pct}%)`}
    >
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="progress-text">{text ?? `${done.toLocaleString()} / ${total.toLocaleString()}`}</span>
    </div>
  );
}
