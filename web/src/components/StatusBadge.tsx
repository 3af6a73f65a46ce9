const LABELS: Record<string, { label: string; tone: 'ok' | 'warn' | 'muted' | 'error' }> = {
  connected: { label: 'Connected', tone: 'ok' },
  reauth_required: { label: 'Needs reconnect', tone: 'warn' },
  disconnected: { label: 'Disconnected', tone: 'muted' },
  untested: { label: 'Not tested', tone: 'muted' },
  error: { label: 'Error', tone: 'error' },
};

/** Status as text and colour (never colour alone). */
export function StatusBadge({ status }: { status: string }) {
  const s = LABELS[status] ?? { label: status, tone: 'muted' as const };
  return (
    <span className={`badge badge-${s.tone}`} data-status={status}>
      <span className="dot" aria-hidden="true" />
      {s.label}
    </span>
  );
}
