/**
 * Node-internal shapes. The wire types (lease, sender, grant, results) are @cadence/contracts',
 * re-exported here under the names the nodes use.
 */
import type {
	Grant,
	LeaseCallbacks,
	LeaseCampaign,
	LeaseItem,
	LeaseLead,
	LeaseThreading,
	LeaseTracking,
	MessageTemplate,
	ReportResult as ContractReportResult,
	Sender,
} from '@cadence/contracts';

export type { Channel, Grant, LeaseLead, LeaseResponse, Sender, SenderKind } from '@cadence/contracts';

/**
 * One leased message as the nodes read it: a contract LeaseItem (the Lease node checks every lease
 * against the schema) with its template (the lease's `templates` entry, one object shared by the
 * lease's items), and the parts a node can do without optional, so a node (or a test) handed a
 * partial item still works.
 */
export type LeaseMessage = Pick<LeaseItem, 'messageId' | 'channel'> & {
	template: MessageTemplate;
	lead: Pick<LeaseLead, 'id'> & { [K in Exclude<keyof LeaseLead, 'id'>]?: LeaseLead[K] | null };
	to?: string;
	campaign?: LeaseCampaign | null;
	tracking?: { [K in keyof LeaseTracking]?: LeaseTracking[K] | null } | null;
	callbacks?: LeaseCallbacks | null;
	threading?: { [K in keyof LeaseThreading]?: LeaseThreading[K] | null } | null;
};

/** What Render adds to an item. */
export type Rendered =
	| { channel: 'email'; subject: string; html?: string; text: string; headers: Record<string, string> }
	| { channel: 'sms'; body: string; encoding: string; segments: number; characters: number }
	/** `text`: a session message (inbox reply inside the 24-hour window) instead of the template. */
	| { channel: 'whatsapp'; name: string; language: string; components: unknown[]; text?: string }
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
	/** Messages leased so far in this execution, this lease included (Max Messages per Execution). */
	executionLeased?: number;
	/** What n8n holds of this execution's leases, estimated (leaseHeldBytes), this lease included (Max Held Data per Execution). */
	executionHeldBytes?: number;
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

/** One entry of a results report, as the nodes build it. */
export type ReportResult = ContractReportResult & { outcome: Exclude<Outcome['outcome'], 'rejected'> };
