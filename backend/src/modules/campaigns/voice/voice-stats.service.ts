import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../../common/errors/app-error';
import { campaignCallsKey, FINAL_CALL_STATUSES, liveCallCount } from '../../quota/call-slots';
import { Campaign } from '../campaign.entity';

export interface VoiceStats {
  /** Calls Twilio accepted (every attempt counts once). */
  placed: number;
  /** Placed calls without a final status yet. */
  inProgress: number;
  /** Completed calls a person answered (or any completed call when no answering-machine detection ran). */
  answered: number;
  busy: number;
  noAnswer: number;
  failed: number;
  canceled: number;
  /** Completed calls answered by a machine. */
  voicemail: number;
  totalTalkSeconds: number;
  averageTalkSeconds: number;
  /** answered / placed, 0 when nothing was placed. */
  successRate: number;
  /** Calls the campaign holds a concurrency slot for right now. */
  liveSlots: number;
  attemptsPerLead: { average: number; max: number; distribution: Record<string, number> };
  /** What the AI agent reported per call: interested, call_back, not_interested. */
  agentOutcomes: Record<string, number>;
}

const STATS_SQL = `
  WITH mine AS (
    SELECT id, provider_message_id, attempts, lead_id FROM messages WHERE organization_id = $1 AND campaign_id = $2 AND channel = 'voice'
  ), ev AS (
    SELECT split_part(e.event_id, ':', 1) AS sid, e.type, e.payload
      FROM mine JOIN message_events e ON e.message_id = mine.id
     WHERE e.source = 'twilio' AND e.event_id LIKE 'CA%'
  ), calls AS (
    SELECT sid,
           max(payload ->> 'status') FILTER (WHERE payload ->> 'status' = ANY($3::text[])) AS final,
           max(nullif(payload ->> 'duration', '')::int) FILTER (WHERE payload ->> 'status' = 'completed') AS duration,
           max(payload ->> 'answeredBy') AS answered_by
      FROM ev GROUP BY sid
  ), sids AS (
    SELECT sid FROM calls
    UNION SELECT provider_message_id FROM mine WHERE provider_message_id IS NOT NULL
    UNION SELECT a.provider_message_id FROM mine JOIN message_attempts a ON a.message_id = mine.id WHERE a.provider_message_id IS NOT NULL
  )
  SELECT (SELECT count(*) FROM sids)::int AS placed,
         count(*) FILTER (WHERE final IS NOT NULL)::int AS ended,
         count(*) FILTER (WHERE final = 'completed' AND coalesce(answered_by, 'human') NOT LIKE 'machine%' AND coalesce(answered_by, '') <> 'fax')::int AS answered,
         count(*) FILTER (WHERE final = 'completed' AND (answered_by LIKE 'machine%' OR answered_by = 'fax'))::int AS voicemail,
         count(*) FILTER (WHERE final = 'busy')::int AS busy,
         count(*) FILTER (WHERE final = 'no-answer')::int AS no_answer,
         count(*) FILTER (WHERE final = 'failed')::int AS failed,
         count(*) FILTER (WHERE final = 'canceled')::int AS canceled,
         coalesce(sum(duration) FILTER (WHERE final = 'completed' AND coalesce(answered_by, 'human') NOT LIKE 'machine%'), 0)::int AS talk
    FROM calls`;

const ATTEMPTS_SQL = `
  SELECT attempts, count(*)::int AS leads FROM messages
   WHERE organization_id = $1 AND campaign_id = $2 AND channel = 'voice' AND attempts > 0
   GROUP BY attempts ORDER BY attempts`;

const AGENT_SQL = `
  SELECT e.payload ->> 'outcome' AS outcome, count(*)::int AS n
    FROM messages ms JOIN message_events e ON e.message_id = ms.id
   WHERE ms.organization_id = $1 AND ms.campaign_id = $2 AND ms.channel = 'voice' AND e.type = 'agent_outcome'
   GROUP BY 1`;

interface CallCounts {
  placed: number;
  ended: number;
  answered: number;
  voicemail: number;
  busy: number;
  no_answer: number;
  failed: number;
  canceled: number;
  talk: number;
}

/** A voice campaign's call statistics, from the Twilio status events of its calls and their attempts. */
@Injectable()
export class VoiceStatsService {
  constructor(private readonly dataSource: DataSource) {}

  async stats(organizationId: string, campaignId: string): Promise<VoiceStats> {
    const exists = await this.dataSource.getRepository(Campaign).exists({ where: { organizationId, id: campaignId } });
    if (!exists) throw new AppError('campaign_not_found', `No campaign ${campaignId}`);
    const [[row], attempts, agent, liveSlots] = await Promise.all([
      this.dataSource.query<CallCounts[]>(STATS_SQL, [organizationId, campaignId, FINAL_CALL_STATUSES]),
      this.dataSource.query<Array<{ attempts: number; leads: number }>>(ATTEMPTS_SQL, [organizationId, campaignId]),
      this.dataSource.query<Array<{ outcome: string | null; n: number }>>(AGENT_SQL, [organizationId, campaignId]),
      liveCallCount(this.dataSource.manager, campaignCallsKey(campaignId)),
    ]);
    const leads = attempts.reduce((n, a) => n + a.leads, 0);
    const tries = attempts.reduce((n, a) => n + a.attempts * a.leads, 0);
    return {
      placed: row.placed,
      inProgress: Math.max(0, row.placed - row.ended),
      answered: row.answered,
      busy: row.busy,
      noAnswer: row.no_answer,
      failed: row.failed,
      canceled: row.canceled,
      voicemail: row.voicemail,
      totalTalkSeconds: row.talk,
      averageTalkSeconds: row.answered ? round(row.talk / row.answered) : 0,
      successRate: row.placed ? round(row.answered / row.placed, 4) : 0,
      liveSlots,
      attemptsPerLead: {
        average: leads ? round(tries / leads) : 0,
        max: attempts.at(-1)?.attempts ?? 0,
        distribution: Object.fromEntries(attempts.map((a) => [String(a.attempts), a.leads])),
      },
      agentOutcomes: Object.fromEntries(agent.filter((a) => a.outcome).map((a) => [a.outcome!, a.n])),
    };
  }
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
