import { Link } from 'react-router';
import type { LeadRef } from '../pages/campaigns/types';

/** "Ada Lovelace · ada@example.com", or the address alone. */
export const leadLabel = (l: LeadRef) =>
  [[l.firstName, l.lastName].filter(Boolean).join(' '), l.email ?? l.phone].filter(Boolean).join(' · ') || l.id;

/** A lead named by an event or an enrollment, linked to its page; a deleted lead says so. */
export function LeadLink({ lead }: { lead: LeadRef | null }) {
  if (!lead) return <span className="muted">Deleted lead</span>;
  return <Link to={`/leads/${lead.id}`}>{leadLabel(lead)}</Link>;
}
