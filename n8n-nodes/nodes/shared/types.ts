/** Shapes of docs/internal-api.md, as the nodes see them. */

export type Channel = 'email' | 'sms' | 'whatsapp' | 'voice';
export type SenderKind = 'gmail' | 'mailgun' | 'twilio' | 'whatsapp';

export interface Grant {
	count: number;
	startInMs: number;
	intervalMs: number;
	ratePerSecond: number;
	concurrency: number;
}

export interface Sender {
	kind: SenderKind;
	channelId: string;
	config: Record<string, unknown>;
	secrets: Record<string, unknown>;
}

export interface LeaseLead {
	id: string;
	email?: string | null;
	phone?: string | null;
	firstName?: string | null;
	lastName?: string | null;
	timezone?: string | null;
	attributes?: Record<string, unknown> | null;
}

export interface LeaseMessage {
	messageId: string;
	channel: Channel;
	lead: LeaseLead;
	template: Record<string, unknown> & { channel: Channel };
	tracking?: { token?: string | null; clickBaseUrl?: string | null; openPixelUrl?: string | null; unsubscribeUrl?: string | null; unsubscribeMailto?: string | null } | null;
	callbacks?: { statusCallbackUrl?: string | null } | null;
	threading?: { inReplyTo?: string | null; references?: string[] | null; threadId?: string | null } | null;
	campaign?: Record<string, unknown> | null;
}

export interface LeaseResponse {
	leaseId: string;
	leaseExpiresAt: string;
	done: boolean;
	retryAfterMs: number;
	grant: Grant;
	sender: Sender;
	items: LeaseMessage[];
}

/** What Render adds to an item. */
export type Rendered =
	| { channel: 'email'; subject: string; html?: string; text: string; headers: Record<string, string> }
	| { channel: 'sms'; body: string; encoding: string; segments: number; characters: number }
	| { channel: 'whatsapp'; name: string; language: string; components: unknown[] }
	| { channel: 'voice'; twiml: string };

export type Outcome =
	| { outcome: 'sent'; providerMessageId: string; sentAt: string }
	| { outcome: 'failed'; errorCode: string; errorMessage: string }
	| { outcome: 'deferred'; retryAfterMs: number; errorCode: string; errorMessage?: string }
	| { outcome: 'unknown'; errorCode: string; errorMessage: string }
	| { outcome: 'skipped'; reason: string; errorMessage?: string }
	/** The backend refused to mark it `sending` (lease expired, cancelled): not sent, not reported. */
	| { outcome: 'rejected'; reason: string };

/** The json of one item between Lease Batch and Report Results. */
export interface WorkItem {
	runId: string;
	leaseId: string;
	leaseExpiresAt: string;
	/** Epoch ms when the lease response arrived: the grant's time origin. */
	leasedAt: number;
	/** Position in the lease (the grant slot). */
	slot: number;
	grant: Grant;
	sender: Sender;
	message: LeaseMessage;
	rendered?: Rendered;
	/** The Render Message options `rendered` was made with (absent: the defaults). */
	renderOptions?: RenderOptionsUsed;
	result?: Outcome;
}

/** What Render Message records next to `rendered`, so a re-render (Mailgun batching) matches it. */
export interface RenderOptionsUsed {
	tracking?: boolean;
	unsubscribeHeaders?: boolean;
	renderTimeMs?: number;
}

export interface ReportResult {
	messageId: string;
	outcome: Exclude<Outcome['outcome'], 'rejected'>;
	providerMessageId?: string;
	sentAt?: string;
	errorCode?: string;
	errorMessage?: string;
	retryAfterMs?: number;
	reason?: string;
}
