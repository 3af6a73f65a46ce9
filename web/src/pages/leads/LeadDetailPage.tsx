import './leads.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { notify } from '../../components/toast';
import { formatDateTime } from '../../format';
import { ConsentBadges } from './ConsentBadges';
import { LeadEditForm } from './LeadEditForm';
import { LeadMessages } from './LeadMessages';
import { Lead, leadName } from './types';

/** One lead: who they are, what they agreed to, their attributes, and every message campaigns sent them. */
export function LeadDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const lead = useQuery({ queryKey: ['leads', 'one', id], queryFn: () => api<Lead>('GET', `/leads/${id}`) });
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/leads/${id}`),
    onSuccess: () => {
      notify.success('Lead deleted');
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      void navigate('/leads');
    },
    onError: (e) => notify.error(e, 'The lead was not deleted'),
  });
  const back = (
    <Link to="/leads" className="back-link">
      ← Leads
    </Link>
  );

  if (lead.isPending) return <Loading what="the lead" />;
  if (lead.error)
    return (
      <div className="page">
        <PageHeader title="Lead" back={back} />
        <ErrorBanner error={lead.error} />
      </div>
    );
  const l = lead.data;
  const title = leadName(l) || l.email || l.phone || 'Lead';
  const attributes = Object.entries(l.attributes);
  return (
    <div className="page page-wide">
      <PageHeader
        title={title}
        subtitle={`Added ${formatDateTime(l.createdAt)} · updated ${formatDateTime(l.updatedAt)}`}
        back={back}
        actions={
          <>
            {!editing && (
              <button type="button" className="btn" onClick={() => setEditing(true)}>
                Edit
              </button>
            )}
            <ConfirmButton
              danger
              title="Delete this lead?"
              message={`${title} is removed from future campaigns. Their message history stays in campaign reports, without their name.`}
              confirmLabel="Delete lead"
              disabled={remove.isPending}
              onConfirm={() => remove.mutate()}
            >
              Delete
            </ConfirmButton>
          </>
        }
      />
      {editing ? (
        <LeadEditForm lead={l} onDone={() => setEditing(false)} />
      ) : (
        <section className="card" aria-labelledby="lead-fields-title">
          <h2 id="lead-fields-title">Details</h2>
          <dl className="lead-fields">
            <dt>Email</dt>
            <dd>{l.email ?? '—'}</dd>
            <dt>Phone</dt>
            <dd>{l.phone ?? '—'}</dd>
            <dt>First name</dt>
            <dd>{l.firstName ?? '—'}</dd>
            <dt>Last name</dt>
            <dd>{l.lastName ?? '—'}</dd>
            <dt>Time zone</dt>
            <dd>{l.timezone ?? '—'}</dd>
            <dt>Consent</dt>
            <dd>
              <ConsentBadges consent={l.consent} />
            </dd>
          </dl>
          <h3>Attributes</h3>
          {attributes.length === 0 ? (
            <p className="muted">No custom attributes.</p>
          ) : (
            <dl className="lead-fields" data-testid="lead-attributes">
              {attributes.map(([k, v]) => (
                <div key={k} className="lead-field-pair">
                  <dt className="mono">{k}</dt>
                  <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
      )}
      <LeadMessages leadId={l.id} />
    </div>
  );
}
