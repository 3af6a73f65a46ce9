import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../../api';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Loading } from '../../../components/Loading';

interface Rendered {
  status: string;
  channel: string;
  subject?: string;
  text?: string;
  body?: string;
  twiml?: string;
  name?: string;
  components?: unknown;
  reason?: string;
}

/** The template rendered by the backend's renderer (POST /templates/:id/preview) for the organization's first lead, or sample data when there is none. */
export function TemplatePreview({ templateId }: { templateId: string }) {
  const firstLead = useQuery<{ items: Array<{ id: string; email: string | null; phone: string | null }> }, ApiError>({
    queryKey: ['wizard-first-lead'],
    queryFn: () => api('GET', '/leads?limit=1'),
  });
  const leadId = firstLead.data?.items[0]?.id;
  const preview = useQuery<
    { lead: { email?: string | null; phone?: string | null; firstName?: string | null }; result: Rendered },
    ApiError
  >({
    queryKey: ['wizard-template-preview', templateId, leadId ?? 'sample'],
    queryFn: () => api('POST', `/templates/${templateId}/preview`, leadId ? { leadId } : {}),
    enabled: !firstLead.isPending,
  });
  if (preview.isPending) return <Loading what="the preview" />;
  if (preview.error) return <ErrorBanner error={preview.error} />;
  const { result, lead } = preview.data;
  const who = leadId ? `the first lead (${lead.email ?? lead.phone ?? lead.firstName ?? leadId})` : 'sample data';
  return (
    <section aria-label="Template preview">
      <p className="field-hint">Preview for {who}</p>
      <div className="wizard-preview" data-testid="template-preview">
        {result.status !== 'rendered' ? (
          <span>Would be skipped: {result.reason ?? result.status}</span>
        ) : result.channel === 'email' ? (
          <>
            <strong>Subject: {result.subject}</strong>
            {'\n\n'}
            {result.text}
          </>
        ) : result.channel === 'sms' ? (
          result.body
        ) : result.channel === 'voice' ? (
          <code>{result.twiml}</code>
        ) : (
          <code>{JSON.stringify({ name: result.name, components: result.components }, null, 2)}</code>
        )}
      </div>
    </section>
  );
}
