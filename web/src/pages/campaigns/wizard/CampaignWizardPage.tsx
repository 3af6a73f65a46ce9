import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../../../api';
import { Banner } from '../../../components/Banner';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Loading } from '../../../components/Loading';
import { PageHeader } from '../../../components/PageHeader';
import { notify } from '../../../components/toast';
import type { Campaign } from '../types';
import { AudienceStep } from './AudienceStep';
import { DuplicateCampaignButton } from './DuplicateCampaignButton';
import { NameTypeStep } from './NameTypeStep';
import { PreLaunchCheck } from './PreLaunchCheck';
import { runCheck, type CampaignCheck } from './wizard-api';
import { ReviewStep } from './ReviewStep';
import { SettingsStep } from './SettingsStep';
import { Stepper } from './Stepper';
import { StepsStep } from './StepsStep';
import { TriggerStep } from './TriggerStep';
import { TriggeredReview } from './TriggeredReview';
import { settingsProblems, variantServerProblems } from './server-problems';
import { campaignInput, initialState, problemsOf, stateFromCampaign, STEP_TITLES, WizardState, wizardSteps } from './wizard-state';
import '../triggers.css';
import './wizard.css';

/**
 * The create-campaign wizard (/campaigns/new) and the draft editor (/campaigns/:id/edit). State lives
 * here across steps; nothing is stored until "Save as draft" or "Launch" (no half-made drafts left
 * behind by someone who walks away), and the review is computed from the state as it is.
 */
export function CampaignWizardPage() {
  const { id: routeId } = useParams();
  const draft = useQuery<Campaign, ApiError>({
    queryKey: ['campaign', routeId],
    queryFn: () => api<Campaign>('GET', `/campaigns/${routeId}`),
    enabled: !!routeId,
  });
  if (!routeId) return <Wizard key="new" />;
  if (draft.isPending) return <Loading what="the campaign" />;
  if (draft.error) return <ErrorBanner error={draft.error} />;
  if (draft.data.status !== 'draft') {
    return (
      <div className="page">
        <PageHeader title={`Edit ${draft.data.name}`} />
        <Banner tone="info">
          This campaign is {draft.data.status}: only drafts can be edited. Duplicate it to start a new draft with the same definition, or{' '}
          <Link to={`/campaigns/${draft.data.id}`}>open the campaign</Link>.
        </Banner>
        <DuplicateCampaignButton campaignId={draft.data.id} />
      </div>
    );
  }
  return <Wizard key={routeId} campaign={draft.data} />;
}

function Wizard({ campaign }: { campaign?: Campaign }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [state, setState] = useState<WizardState>(() => (campaign ? stateFromCampaign(campaign) : initialState()));
  const [current, setCurrent] = useState(0);
  const [shown, setShown] = useState(false);
  const [saved, setSaved] = useState<Campaign | undefined>(campaign);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  const onChange = (patch: Partial<WizardState>) => setState((s) => ({ ...s, ...patch }));
  // A triggered campaign has one more step (its trigger); the type is chosen on the first step only.
  const ids = wizardSteps(state.type);
  const titles = ids.map((i) => STEP_TITLES[i]);
  const REVIEW = ids.length - 1;
  const stepId = ids[current] ?? 'review';
  const problems = problemsOf(state, stepId);
  const complete = (upTo: number) => ids.slice(0, upTo).every((i) => Object.keys(problemsOf(state, i)).length === 0);

  useEffect(() => {
    // Moving between steps takes focus to the step's heading, so keyboard and screen-reader users follow.
    if (firstRender.current) firstRender.current = false;
    else headingRef.current?.focus();
  }, [current]);

  const go = (index: number) => {
    setShown(false);
    setCurrent(index);
  };
  const next = () => {
    if (Object.keys(problems).length) setShown(true);
    else go(current + 1);
  };

  // The body is the mutation's variables: a refused save's field problems are matched against what was sent.
  const save = useMutation<Campaign, ApiError, ReturnType<typeof campaignInput>>({
    mutationFn: (body) => (saved ? api<Campaign>('PATCH', `/campaigns/${saved.id}`, body) : api<Campaign>('POST', '/campaigns', body)),
    onSuccess: (c) => {
      setSaved(c);
      queryClient.setQueryData(['campaign', c.id], c);
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });

  const saveDraft = async () => {
    const c = await save.mutateAsync(campaignInput(state)).catch(() => undefined);
    if (!c) return;
    notify.success(`Draft “${c.name}” saved`);
    if (!campaign) void navigate(`/campaigns/${c.id}/edit`, { replace: true });
  };

  const launch = useMutation<Campaign, ApiError>({
    mutationFn: async () => {
      const c = await save.mutateAsync(campaignInput(state));
      // One key per saved version: a repeated click launches once; an edit saved since makes a new attempt.
      await api('POST', `/campaigns/${c.id}/launch`, undefined, { 'idempotency-key': `wizard-${c.id}-${c.updatedAt}` });
      return c;
    },
    onSuccess: (c) => {
      notify.success(`“${c.name}” launched`);
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      void navigate(`/campaigns/${c.id}`);
    },
  });
  // The check runs on the saved draft (the server reads the campaign, its audience and senders as launch will),
  // so it saves first, as Launch does. Its answer holds for the input it was run on.
  const check = useMutation<{ result: CampaignCheck; input: string }, ApiError>({
    mutationFn: async () => {
      const input = campaignInput(state);
      const c = await save.mutateAsync(input);
      return { result: await runCheck(c.id), input: JSON.stringify(input) };
    },
  });
  const checkStale = check.data !== undefined && check.data.input !== JSON.stringify(campaignInput(state));
  const blocked = check.data !== undefined && !checkStale && !check.data.result.ok;
  const busy = save.isPending || launch.isPending || check.isPending;
  // A setting the server refused (the voicemail script's Liquid) is shown under its field too, and the banner leads there.
  const input = campaignInput(state);
  const refusedSettings = settingsProblems(save.error, save.variables?.settings, input.settings);
  const settingsRefused = Object.keys(refusedSettings).length > 0;
  // Likewise a step's A/B test (variants, percents, metric) the server refused.
  const refusedVariants = variantServerProblems(save.error, save.variables?.steps, input.steps);
  const variantsRefused = Object.keys(refusedVariants).length > 0;

  return (
    <div className="page">
      <PageHeader
        title={campaign ? `Edit draft: ${campaign.name}` : 'New campaign'}
        back={
          <Link className="back-link" to="/campaigns">
            ← Campaigns
          </Link>
        }
      />
      <Stepper titles={titles} current={current} reachable={(i) => i <= current || complete(i)} onGo={go} />
      <h2 ref={headingRef} tabIndex={-1}>
        Step {current + 1} of {titles.length}: {titles[current]}
      </h2>
      {shown && Object.keys(problems).length > 0 && (
        <Banner tone="error">Complete this step first: {Object.values(problems).join('; ')}.</Banner>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (current < REVIEW) next();
        }}
        noValidate
      >
        {stepId === 'name' && <NameTypeStep state={state} problems={shown ? problems : {}} onChange={onChange} />}
        {stepId === 'trigger' && <TriggerStep state={state} problems={shown ? problems : {}} onChange={onChange} />}
        {stepId === 'steps' && (
          <StepsStep state={state} problems={{ ...refusedVariants, ...(shown ? problems : {}) }} onChange={onChange} />
        )}
        {stepId === 'audience' && <AudienceStep state={state} problems={shown ? problems : {}} onChange={onChange} />}
        {stepId === 'settings' && (
          <SettingsStep state={state} problems={{ ...refusedSettings, ...(shown ? problems : {}) }} onChange={onChange} />
        )}
        {stepId === 'review' && (state.type === 'triggered' ? <TriggeredReview state={state} /> : <ReviewStep state={state} />)}
        {stepId === 'review' && check.data && <PreLaunchCheck check={check.data.result} stale={checkStale} />}
        <ErrorBanner error={launch.error ?? check.error ?? save.error} onDismiss={() => (launch.reset(), check.reset(), save.reset())} />
        {settingsRefused && stepId !== 'settings' && (
          <p>
            <button type="button" className="btn" onClick={() => go(ids.indexOf('settings'))}>
              Correct it on the Settings step
            </button>
          </p>
        )}
        {variantsRefused && stepId !== 'steps' && (
          <p>
            <button type="button" className="btn" onClick={() => go(ids.indexOf('steps'))}>
              Correct it on the Steps step
            </button>
          </p>
        )}
        {saved && (
          <p className="muted" role="status">
            Saved as a draft. <Link to={`/campaigns/${saved.id}`}>Open the campaign</Link>
          </p>
        )}
        {stepId === 'review' && blocked && (
          <p id="launch-blocked" className="field-error" data-testid="launch-blocked">
            Launch is disabled: the pre-launch check found {check.data.result.blocking.length} blocking problem(s) above. Fix them, then
            check again.
          </p>
        )}
        <div className="wizard-nav">
          <button type="button" className="btn" onClick={() => go(current - 1)} disabled={current === 0}>
            ← Back
          </button>
          <div className="form-actions">
            {current >= 1 && (
              <button
                type="button"
                className="btn"
                onClick={() => void saveDraft()}
                disabled={busy || !complete(REVIEW)}
                title={complete(REVIEW) ? undefined : 'Complete every step first'}
              >
                {save.isPending && !launch.isPending ? 'Saving…' : 'Save as draft'}
              </button>
            )}
            {current < REVIEW ? (
              <button type="submit" className="btn btn-primary">
                Next →
              </button>
            ) : (
              <>
                <button type="button" className="btn" onClick={() => check.mutate()} disabled={busy || !complete(REVIEW)}>
                  {check.isPending ? 'Checking…' : check.data ? 'Save and check again' : 'Save and check'}
                </button>
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => launch.mutate()}
                  disabled={busy || !complete(REVIEW) || blocked}
                  aria-describedby={blocked ? 'launch-blocked' : undefined}
                >
                  {launch.isPending ? 'Launching…' : 'Launch'}
                </button>
              </>
            )}
          </div>
        </div>
      </form>
    </div>
  );
}
