/** A polite "loading" line for a page or a section still fetching. */
export function Loading({ what }: { what?: string }) {
  return (
    <p className="loading" role="status">
      {what ? `Loading ${what}…` : 'Loading…'}
    </p>
  );
}
