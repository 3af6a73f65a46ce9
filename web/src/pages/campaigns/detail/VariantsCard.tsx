import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api';
import { Column, DataTable } from '../../../components/DataTable';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Loading } from '../../../components/Loading';
import { formatNumber } from '../../../format';
import { formatRate } from '../../analytics/types';
import type { AbMetric, Campaign } from '../types';
import { METRIC_NAMES } from '../wizard/variants';
import { channelName } from './progress';
import { CampaignVariantResults, significanceText, StepVariantResults, VariantResult, variantStatusText } from './variant-results';

const RATE_NAMES: Record<AbMetric, string> = { open: 'Open rate', click: 'Click rate', reply: 'Reply rate', conversion: 'Conversion rate' };

/** Whether any step of the campaign sends variants: only then is there a Variants card. */
export const hasVariants = (c: Pick<Campaign, 'steps'>) => c.steps.some((s) => (s.variants?.length ?? 0) > 0);

/**
 * A "Variants" card per A/B step: each variant's numbers, the winner, the test's state and whether the leader's lead is
 * significant. Re-read with the per-step counts (the page invalidates `campaign-variants` when counters move).
 */
export function VariantsCards({ campaign }: { campaign: Campaign }) {
  const results = useQuery({
    queryKey: ['campaign-variants', campaign.id],
    queryFn: () => api<CampaignVariantResults>('GET', `/campaigns/${campaign.id}/variants`),
  });
  if (results.isPending) return <Loading what="the variants" />;
  if (results.error) return <ErrorBanner error={results.error} />;
  return (
    <>
      {results.data.steps.map((s) => (
        <VariantsCard key={s.stepId} step={s} channel={campaign.steps.find((x) => x.id === s.stepId)?.channel} />
      ))}
    </>
  );
}

function VariantsCard({ step: s, channel }: { step: StepVariantResults; channel: Campaign['steps'][number]['channel'] | undefined }) {
  const headingId = `variants-heading-${s.position}`;
  // Without a test the server compares opens (email) or replies, as it says in `significance.metric`.
  const metric = s.abTest?.metric ?? s.significance?.metric ?? (channel === 'email' ? 'open' : 'reply');
  const significance = significanceText(s);
  const count = (
    key: 'sent' | 'opened' | 'clicked' | 'replied' | 'converted',
    header: string,
    secondary = false,
  ): Column<VariantResult> => ({
    key,
    header,
    align: 'end',
    secondary,
    cell: (v) => formatNumber(v[key]),
  });
  const columns: Column<VariantResult>[] = [
    {
      key: 'label',
      header: 'Variant',
      cell: (v) => (
        <>
          {v.label}
          {v.id === s.winnerVariantId && (
            <>
              {' '}
              <span className="badge badge-ok" data-testid="variant-winner">
                Winner
              </span>
            </>
          )}
        </>
      ),
    },
    { key: 'template', header: 'Template', cell: (v) => v.templateName },
    { key: 'percent', header: 'Share', align: 'end', cell: (v) => `${v.percent}%` },
    count('sent', 'Sent'),
    count('opened', 'Opened', channel !== 'email'),
    count('clicked', 'Clicked', channel !== 'email'),
    count('replied', 'Replied'),
    count('converted', 'Converted'),
    { key: 'rate', header: RATE_NAMES[metric], align: 'end', cell: (v) => formatRate(v.rate) },
  ];
  return (
    <section className="card" aria-labelledby={headingId} data-testid="variants-card" data-step={s.position}>
      <h2 id={headingId}>
        Variants · step {s.position + 1}
        {channel && ` (${channelName(channel)})`}
      </h2>
      <p className="muted" data-testid="variants-status">
        {variantStatusText(s)}
      </p>
      {significance && (
        <p data-testid="variants-significance">
          <span className={`badge ${s.significance?.confident ? 'badge-ok' : 'badge-muted'}`}>{significance}</span>
          <span className="muted"> · {METRIC_NAMES[metric].toLowerCase()} per message sent</span>
        </p>
      )}
      <DataTable
        caption={`Variants of step ${s.position + 1}`}
        columns={columns}
        rows={s.variants}
        rowKey={(v) => v.id}
        rowTestId="variant-results"
      />
    </section>
  );
}
