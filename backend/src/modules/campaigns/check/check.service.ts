import { requiredLeadVariables } from '@cadence/render';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppError } from '../../../common/errors/app-error';
import { senderLedgerKey, type SenderId } from '../../lease/sender-id';
import { Template } from '../../templates/template.entity';
import { messageTemplateOf } from '../../templates/message-template';
import { whatsappTemplateProblems } from '../../whatsapp-templates/whatsapp-launch-check';
import { Campaign } from '../campaign.entity';
import { CampaignStep } from '../campaign-step.entity';
import { recipientZones } from '../send-window';
import { countAudience, type AudienceCountRow } from './audience-counts';
import { estimateEta, type EtaLedger } from './eta';
import { blocking, CheckFinding, warning } from './findings';
import { addSenderLoad, senderState, type SenderState } from './sender-health';

export interface CheckStep {
  position: number;
  channel: string;
  sender: string | null;
  /** Messages that pass compliance (a missing variable may still skip some, counted below). */
  eligible: number;
  skipped: Record<string, number>;
  /** Per `lead.*` variable printed without a default: eligible leads for whom it is blank (each is skipped). */
  missingVariables: Array<{ variable: string; leads: number }>;
}

export interface CheckEta {
  startAt: string;
  lastMessageAt: string;
  seconds: number;
  senders: Array<{ sender: string; label: string; messages: number; lastMessageAt: string | null }>;
}

export interface CampaignCheck {
  /** True when nothing blocks the launch. */
  ok: boolean;
  blocking: CheckFinding[];
  warnings: CheckFinding[];
  leads: number;
  steps: CheckStep[];
  /** When the last message goes out; null for a triggered campaign (no fixed audience) or a step without a sender. */
  eta: CheckEta | null;
}

/** Twilio drops a queued message it could not send within its validity period: 36,000 s (10 hours) by default and at most. */
const TWILIO_VALIDITY_SECONDS = 36_000;

/**
 * The pre-launch check (POST /campaigns/:id/check, and run by launch): sender health from recorded state,
 * compliance skips and missing template variables counted set-based over the audience, WhatsApp template
 * approval, and when the last message goes out (eta.ts).
 */
@Injectable()
export class CampaignCheckService {
  constructor(private readonly dataSource: DataSource) {}

  async check(organizationId: string, id: string, m: EntityManager = this.dataSource.manager): Promise<CampaignCheck> {
    const { campaign, steps, findings, senders, refs, stepSender } = await this.health(m, organizationId, id);
    for (const [key, state] of senders) await addSenderLoad(m, organizationId, id, refs.get(key)!, state);
    const templates = await m.findBy(Template, { organizationId, id: In(steps.map((s) => s.templateId)) });

    const counted = steps.map((s) => {
      const template = templates.find((t) => t.id === s.templateId);
      return { position: s.position, channel: s.channel, variables: template ? requiredLeadVariables(messageTemplateOf(template)) : [] };
    });
    const triggered = campaign.type === 'triggered';
    const rows = triggered ? [] : await countAudience(m, organizationId, campaign.audience, counted);
    const checkSteps: CheckStep[] = counted.map((s, i) => {
      const own = rows.filter((r) => r.position === s.position);
      const skipped: Record<string, number> = {};
      for (const r of own) if (r.reason) skipped[r.reason] = (skipped[r.reason] ?? 0) + r.count;
      const eligibleRows = own.filter((r) => !r.reason);
      return {
        position: s.position,
        channel: s.channel,
        sender: stepSender[i],
        eligible: eligibleRows.reduce((sum, r) => sum + r.count, 0),
        skipped,
        missingVariables: s.variables.map((variable, v) => ({ variable, leads: eligibleRows.reduce((sum, r) => sum + r.missing[v], 0) })),
      };
    });
    const leads = rows.filter((r) => r.position === steps[0]?.position).reduce((sum, r) => sum + r.count, 0);
    for (const s of checkSteps) {
      for (const [reason, count] of Object.entries(s.skipped))
        findings.push(
          warning(`skipped_${reason}`, `Step ${s.position + 1}: ${count} message(s) will be skipped (${reason})`, {
            step: s.position,
            count,
          }),
        );
      for (const v of s.missingVariables)
        if (v.leads > 0)
          findings.push(
            warning(
              'missing_variable',
              `Step ${s.position + 1}: ${v.leads} lead(s) have no ${v.variable} and no default; they are skipped`,
              {
                step: s.position,
                count: v.leads,
              },
            ),
          );
    }
    if (!triggered && steps.length && checkSteps.every((s) => s.eligible === 0))
      findings.push(warning('nothing_to_send', 'No lead of the audience can be sent to (consent, suppression, addresses)'));

    const eta = triggered || stepSender.some((s) => s === null) ? null : this.eta(campaign, steps, checkSteps, rows, senders);
    if (eta)
      for (const line of eta.lines) {
        const state = senders.get(line.sender)!;
        const run = eta.runs.get(line.sender) ?? 0;
        // Twilio queues what a number cannot take at once (a US long code: 1 segment/s) and drops what waited
        // longer than the 10-hour validity. The lease paces at the configured rate, so nothing waits at
        // Twilio if the number really takes that rate; the check cannot know the account's throughput, so it
        // warns when a continuous run at the configured rate would leave a message waiting > 10 h at 1/s.
        if (
          state.kind === 'twilio' &&
          state.ledger.ratePerSecond > 1 &&
          run * (1 - 1 / state.ledger.ratePerSecond) > TWILIO_VALIDITY_SECONDS
        )
          findings.push(
            warning(
              'twilio_queue_validity',
              `${state.label} sends ${Math.round(run)} messages in a row at ${state.ledger.ratePerSecond}/s: if the number takes only 1/s, Twilio queues them and drops those waiting over 10 hours`,
              { sender: line.sender, count: Math.round(run) },
            ),
          );
      }
    if (!triggered && !eta && stepSender.every((s) => s !== null))
      findings.push(warning('eta_unknown', 'The schedule does not end within 400 days (caps, windows): no end can be estimated'));

    return {
      ok: !findings.some((f) => f.severity === 'blocking'),
      blocking: findings.filter((f) => f.severity === 'blocking'),
      warnings: findings.filter((f) => f.severity === 'warning'),
      leads,
      steps: checkSteps,
      eta: eta && { startAt: eta.startAt, lastMessageAt: eta.lastMessageAt, seconds: eta.seconds, senders: eta.lines },
    };
  }

  /**
   * What launch refuses on: the blocking findings only (sender health, WhatsApp approval). None of them
   * depends on the audience, so launch does not count it (100,000 leads: ~1 s) under the campaign's lock.
   */
  async blockingFindings(organizationId: string, id: string, m: EntityManager): Promise<CheckFinding[]> {
    return (await this.health(m, organizationId, id)).findings.filter((f) => f.severity === 'blocking');
  }

  /** The campaign's steps, each step's sender and its health, and the WhatsApp template problems. */
  private async health(m: EntityManager, organizationId: string, id: string) {
    const campaign = await m.findOneBy(Campaign, { organizationId, id });
    if (!campaign || campaign.type === 'reply') throw new AppError('campaign_not_found', `No campaign ${id}`);
    const steps = await m.find(CampaignStep, { where: { campaignId: id }, order: { position: 'ASC' } });
    const findings: CheckFinding[] = [];
    const senders = new Map<string, SenderState>();
    const refs = new Map<string, SenderId>();
    const stepSender: Array<string | null> = [];
    for (const step of steps) {
      const ref = senderOf(step, campaign);
      if (!ref) {
        findings.push(blocking('sender_missing', `Step ${step.position + 1} has no sender`, { step: step.position }));
        stepSender.push(null);
        continue;
      }
      const key = senderLedgerKey(ref);
      if (!senders.has(key)) {
        const state = await senderState(m, organizationId, ref);
        if ('severity' in state) {
          findings.push({ ...state, step: step.position });
          stepSender.push(null);
          continue;
        }
        senders.set(key, state);
        refs.set(key, ref);
        findings.push(...state.findings);
      }
      stepSender.push(key);
    }

    for (const p of await whatsappTemplateProblems(m, organizationId, id))
      findings.push(blocking(p.code, p.message, { step: Number(p.details.step) }));
    return { campaign, steps, findings, senders, refs, stepSender };
  }

  private eta(
    campaign: Campaign,
    steps: CampaignStep[],
    checkSteps: CheckStep[],
    rows: AudienceCountRow[],
    senders: Map<string, SenderState>,
  ) {
    const startMs = Math.max(Date.now(), campaign.settings.startAt ? new Date(campaign.settings.startAt).getTime() : 0);
    const window = campaign.settings.sendWindow;
    const zonesOf = (r: AudienceCountRow) => recipientZones({ timezone: r.timezone, phone: r.phone }, window?.timezone).join(' ');
    const leadsByZones = new Map<string, number>();
    for (const r of rows) if (r.position === steps[0].position) leadsByZones.set(zonesOf(r), (leadsByZones.get(zonesOf(r)) ?? 0) + r.count);
    const etaSteps = steps.map((s, i) => {
      const eligibleByZones = new Map<string, number>();
      for (const r of rows)
        if (r.position === s.position && !r.reason) eligibleByZones.set(zonesOf(r), (eligibleByZones.get(zonesOf(r)) ?? 0) + r.count);
      return { senderKey: checkSteps[i].sender!, delaySeconds: s.delaySeconds, eligibleByZones };
    });
    const { ratePerSecond, dailyCap } = campaign.settings;
    const campaignLedger: EtaLedger | undefined =
      ratePerSecond || dailyCap
        ? { key: `campaign:${campaign.id}`, ratePerSecond: ratePerSecond ?? Infinity, ...(dailyCap !== undefined && { dailyCap }) }
        : undefined;
    const result = estimateEta({
      startMs,
      leadsByZones,
      steps: etaSteps,
      ledgers: [...senders.values()].map((s) => s.ledger),
      ...(campaignLedger && { campaign: campaignLedger }),
      ...(window && { window }),
    });
    if (!result) return null;
    return {
      startAt: new Date(startMs).toISOString(),
      lastMessageAt: new Date(result.lastAtMs).toISOString(),
      seconds: Math.ceil((result.lastAtMs - startMs) / 1000),
      lines: result.senders.map((s) => ({
        sender: s.key,
        label: senders.get(s.key)?.label ?? s.key,
        messages: Math.round(s.messages),
        lastMessageAt: s.lastAtMs === null ? null : new Date(s.lastAtMs).toISOString(),
      })),
      senders: result.senders,
      runs: new Map(result.senders.map((s) => [s.key, s.longestRun])),
    };
  }
}

function senderOf(step: CampaignStep, campaign: Campaign): SenderId | undefined {
  if (step.senderChannelId) return { channelId: step.senderChannelId };
  if (step.senderEmailAccountId) return { emailAccountId: step.senderEmailAccountId };
  if (campaign.senderChannelId) return { channelId: campaign.senderChannelId };
  if (campaign.senderEmailAccountId) return { emailAccountId: campaign.senderEmailAccountId };
  return undefined;
}
