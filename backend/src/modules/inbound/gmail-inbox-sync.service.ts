import { gmail as gmailApi, type gmail_v1 } from '@googleapis/gmail';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../../config/environment';
import { GMAIL_READ_SCOPE, googleConfigured, googleEndpoints } from '../auth/google-endpoints';
import { EmailAccount } from '../email-accounts/email-account.entity';
import { GmailTokenService } from '../email-accounts/gmail-token.service';
import { GMAIL_RATE_PER_SECOND } from '../lease/sender-resolver';
import { chargeReadUnits } from '../quota/quota-ledger';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';
import { classifyInbound } from './inbound-classifier';
import { inboundEvents } from './inbound-events';
import { parseInboundMime, referencedIds } from './inbound-mime';
import { matchByGmailThread, matchByReferences, matchBySender } from './reply-matcher';

/**
 * Gmail API quota units per call (https://developers.google.com/workspace/gmail/api/reference/quota). The
 * send ledger paces a mailbox at GMAIL_RATE_PER_SECOND sends = 200 units/s of Gmail's 250 per user; reads
 * are charged to the same ledger (chargeReadUnits), so together they stay at 200 units/s, and the 50 units/s
 * left over absorb a read made while a send is already scheduled for the same instant.
 */
export const GMAIL_UNITS = { send: 100, historyList: 2, messagesGet: 5, messagesList: 5, getProfile: 1, watch: 100 } as const;
/** At most this many messages read per mailbox per sync (5 units each: 2.5 s of sending); the rest waits for the next one. */
export const MAX_MESSAGES_PER_SYNC = 100;
const HISTORY_PAGE = 50;
/** After an expired history id, the newest inbox messages read again (their events are idempotent). */
export const RESYNC_MESSAGES = 50;
/** users.watch lasts 7 days; renewed when less than a day is left. */
const WATCH_RENEW_MS = 24 * 3600_000;

export interface SyncOutcome {
  read: number;
  recorded: number;
  resynced: boolean;
  unitsCharged: number;
}

type GaxiosLike = { status?: number; code?: number | string; response?: { status?: number } };
const statusOf = (error: unknown) => (error as GaxiosLike).response?.status ?? (error as GaxiosLike).status;

/**
 * Reply detection for connected Gmail mailboxes: an incremental read of each mailbox's history from the
 * stored historyId (users.history.list, messageAdded in INBOX), every new message fetched raw, classified
 * (person / automatic / bounce) and matched to our message by In-Reply-To / References, the Gmail thread,
 * else the sender's latest email from this mailbox; messages from anyone we never wrote to are not recorded.
 * Polled every GMAIL_SYNC_INTERVAL_MS; with GMAIL_PUBSUB_TOPIC, users.watch makes Gmail push a sync sooner.
 * Two instances syncing one mailbox at once read twice but record once (event ids are the Gmail ids).
 */
@Injectable()
export class GmailInboxSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GmailInbox');
  private timer?: NodeJS.Timeout;
  private readonly inflight = new Map<string, Promise<SyncOutcome>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly tokens: GmailTokenService,
    private readonly events: MessageEventRecorder,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.GMAIL_SYNC_INTERVAL_MS > 0 && googleConfigured(this.env)) {
      this.timer = setInterval(() => void this.syncAll(), this.env.GMAIL_SYNC_INTERVAL_MS);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Every connected mailbox that granted read access, one after another (they share nothing but the database). */
  async syncAll(): Promise<void> {
    const accounts = await this.dataSource.getRepository(EmailAccount).find({ where: { status: 'connected', provider: 'gmail' } });
    for (const account of accounts.filter((a) => a.scopes.includes(GMAIL_READ_SCOPE))) {
      await this.sync(account.organizationId, account.id).catch((error: unknown) =>
        this.logger.warn(`reply sync of mailbox ${account.id} failed: ${String(error)}`),
      );
    }
  }

  /** Push: Gmail names the address; every organization's connected mailbox with that address is synced. */
  async syncAddress(email: string): Promise<number> {
    const accounts = await this.dataSource
      .getRepository(EmailAccount)
      .find({ where: { status: 'connected', provider: 'gmail', email: email.toLowerCase() } });
    for (const a of accounts)
      void this.sync(a.organizationId, a.id).catch((e: unknown) => this.logger.warn(`push sync failed: ${String(e)}`));
    return accounts.length;
  }

  /** One mailbox; a sync already running for it is shared rather than doubled. */
  sync(organizationId: string, accountId: string): Promise<SyncOutcome> {
    let pending = this.inflight.get(accountId);
    if (!pending) {
      pending = this.run(organizationId, accountId).finally(() => this.inflight.delete(accountId));
      this.inflight.set(accountId, pending);
    }
    return pending;
  }

  private async run(organizationId: string, accountId: string): Promise<SyncOutcome> {
    const repo = this.dataSource.getRepository(EmailAccount);
    const account = await repo.findOneByOrFail({ id: accountId, organizationId });
    const outcome: SyncOutcome = { read: 0, recorded: 0, resynced: false, unitsCharged: 0 };
    const client = gmailApi({ version: 'v1', rootUrl: `${googleEndpoints(this.env).gmailApiBaseUrl}/` });
    const opts = { headers: { Authorization: '' }, retry: false, timeout: 15_000 };
    const charge = async (units: number) => {
      outcome.unitsCharged += units;
      await chargeReadUnits(
        this.dataSource.manager,
        { key: `email_account:${account.id}`, organizationId, ratePerSecond: GMAIL_RATE_PER_SECOND },
        units,
        GMAIL_UNITS.send,
      );
    };
    const save = (patch: Partial<Pick<EmailAccount, 'historyId' | 'inboundSyncedAt' | 'inboundError' | 'watchExpiresAt'>>) =>
      repo.update({ id: account.id, organizationId }, patch);

    try {
      // A mailbox that needs reconnecting fails here, and Settings shows why next to it.
      opts.headers.Authorization = `Bearer ${(await this.tokens.getAccessToken(account)).accessToken}`;
      await this.renewWatch(client, opts, account, charge, save);
      if (!account.historyId) {
        // First sync: replies count from now on; what the inbox held before was not an answer to this app.
        await charge(GMAIL_UNITS.getProfile);
        const profile = await client.users.getProfile({ userId: 'me' }, opts);
        await save({ historyId: String(profile.data.historyId), inboundSyncedAt: new Date(), inboundError: null });
        return outcome;
      }
      // Pages are asked with the same start (Gmail's page tokens belong to the request); progress is saved per page.
      const start = account.historyId;
      let progress = start;
      let pageToken: string | undefined;
      for (;;) {
        await charge(GMAIL_UNITS.historyList);
        let page: gmail_v1.Schema$ListHistoryResponse;
        try {
          page = (
            await client.users.history.list(
              {
                userId: 'me',
                startHistoryId: start,
                historyTypes: ['messageAdded'],
                labelId: 'INBOX',
                maxResults: HISTORY_PAGE,
                pageToken,
              },
              opts,
            )
          ).data;
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
          // Gmail keeps about a week of history: past it, the newest inbox messages are read again instead.
          await this.resync(client, opts, account, charge, save, outcome);
          return outcome;
        }
        const ids = [
          ...new Set(
            (page.history ?? []).flatMap((h) =>
              (h.messagesAdded ?? []).filter((a) => a.message?.labelIds?.includes('INBOX')).map((a) => a.message!.id!),
            ),
          ),
        ];
        if (outcome.read > 0 && outcome.read + ids.length > MAX_MESSAGES_PER_SYNC) break;
        for (const id of ids) await this.readMessage(client, opts, account, id, charge, outcome);
        const last = page.history?.[page.history.length - 1]?.id;
        progress = page.nextPageToken ? String(last ?? progress) : String(page.historyId ?? last ?? progress);
        await save({ historyId: progress, inboundSyncedAt: new Date(), inboundError: null });
        if (!page.nextPageToken) break;
        pageToken = page.nextPageToken;
      }
      return outcome;
    } catch (error) {
      await save({ inboundError: String((error as Error).message ?? error).slice(0, 500) });
      throw error;
    }
  }

  private async resync(
    client: gmail_v1.Gmail,
    opts: object,
    account: EmailAccount,
    charge: (units: number) => Promise<void>,
    save: (patch: Partial<EmailAccount>) => Promise<unknown>,
    outcome: SyncOutcome,
  ): Promise<void> {
    outcome.resynced = true;
    await charge(GMAIL_UNITS.getProfile);
    const profile = await client.users.getProfile({ userId: 'me' }, opts);
    await charge(GMAIL_UNITS.messagesList);
    const list = await client.users.messages.list({ userId: 'me', labelIds: ['INBOX'], maxResults: RESYNC_MESSAGES }, opts);
    // Only what arrived since the last good sync is an answer we may have missed.
    const since = account.inboundSyncedAt?.getTime() ?? 0;
    for (const m of list.data.messages ?? []) await this.readMessage(client, opts, account, m.id!, charge, outcome, since);
    await save({ historyId: String(profile.data.historyId), inboundSyncedAt: new Date(), inboundError: null });
  }

  private async readMessage(
    client: gmail_v1.Gmail,
    opts: object,
    account: EmailAccount,
    id: string,
    charge: (units: number) => Promise<void>,
    outcome: SyncOutcome,
    notBefore = 0,
  ): Promise<void> {
    await charge(GMAIL_UNITS.messagesGet);
    let data: gmail_v1.Schema$Message;
    try {
      data = (await client.users.messages.get({ userId: 'me', id, format: 'raw' }, opts)).data;
    } catch (error) {
      if (statusOf(error) === 404) return; // deleted between the history and the read
      throw error;
    }
    outcome.read += 1;
    const receivedAt = new Date(Number(data.internalDate ?? Date.now()));
    if (!data.raw || receivedAt.getTime() < notBefore || data.labelIds?.some((l) => l === 'SENT' || l === 'DRAFT')) return;
    const mail = await parseInboundMime(Buffer.from(data.raw, 'base64url'));
    if (mail.from === account.email.toLowerCase()) return;
    const classification = classifyInbound(mail);
    const m = this.dataSource.manager;
    const messageId =
      (await matchByReferences(
        m,
        account.organizationId,
        referencedIds(mail.inReplyTo, mail.references),
        classification.failedRecipients?.[0] ?? mail.from,
      )) ??
      (data.threadId ? await matchByGmailThread(m, account.organizationId, data.threadId) : null) ??
      (classification.kind === 'bounce' ? null : await matchBySender(m, account.organizationId, account.id, mail.from));
    // Mail from someone this mailbox never wrote to (newsletters, colleagues) is none of our business.
    if (!messageId) return;
    await this.events.enqueue(
      inboundEvents({
        organizationId: account.organizationId,
        source: 'gmail',
        eventId: `inbound:${account.id}:${id}`,
        mail,
        classification,
        messageId,
        occurredAt: receivedAt,
        ...(data.threadId && { providerThreadId: data.threadId }),
        providerMessageId: id,
      }),
    );
    outcome.recorded += 1;
  }

  /** users.watch when a Pub/Sub topic is configured: Gmail then pushes to /webhooks/gmail/push/<token> and we sync at once. */
  private async renewWatch(
    client: gmail_v1.Gmail,
    opts: object,
    account: EmailAccount,
    charge: (units: number) => Promise<void>,
    save: (patch: Partial<EmailAccount>) => Promise<unknown>,
  ): Promise<void> {
    const topicName = this.env.GMAIL_PUBSUB_TOPIC;
    if (!topicName || !this.env.GMAIL_PUSH_TOKEN) return;
    if (account.watchExpiresAt && account.watchExpiresAt.getTime() - Date.now() > WATCH_RENEW_MS) return;
    await charge(GMAIL_UNITS.watch);
    const watch = await client.users.watch(
      { userId: 'me', requestBody: { topicName, labelIds: ['INBOX'], labelFilterBehavior: 'include' } },
      opts,
    );
    await save({ watchExpiresAt: new Date(Number(watch.data.expiration)) });
  }
}
