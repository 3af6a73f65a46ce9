import type { HttpFn } from '../../shared/http';
import type { Classified, Provider, ProviderError } from '../../shared/outcome';
import type { Clock } from '../../shared/time';
import type { Sender, WorkItem } from '../../shared/types';

export interface DriverDeps {
	http: HttpFn;
	clock: Clock;
	/** Per provider request timeout; a timeout after writing is `unknown`. */
	requestTimeoutMs: number;
}

export interface DriverLimits {
	/** Upper bound on requests (or calls) in flight, on top of the grant's concurrency. */
	maxConcurrent?: number;
	/** Minimum spacing between two provider calls (voice: callDelaySeconds). */
	minSpacingMs?: number;
}

/**
 * One channel: how a provider is called. Everything else (pacing, marking `sending`, retries,
 * outcomes) is the shared engine's job, so a driver only turns work items into provider calls
 * and provider errors into `ProviderError`.
 */
export interface ChannelDriver {
	readonly provider: Provider;
	limits(): DriverLimits;
	/** Refuse before anything is marked (e.g. the access token already expired). */
	precheck?(): Classified | undefined;
	/** Builds clients and loads lazy SDK modules before the first paced call (keeps slot timing honest). */
	prepare?(): void;
	/** Groups items into provider calls; default one call per item. */
	plan?(items: WorkItem[]): WorkItem[][];
	/** One provider call; resolves the provider id of each item (same order). */
	send(unit: WorkItem[]): Promise<string[]>;
	/** After a successful call, keeps the pool slot busy (voice: until the call ended). */
	hold?(unit: WorkItem[], providerIds: string[]): Promise<void>;
	toProviderError(err: unknown): ProviderError;
}

export type DriverFactory = (sender: Sender, channel: string, deps: DriverDeps) => ChannelDriver;

export function str(v: unknown): string | undefined {
	return typeof v === 'string' && v !== '' ? v : undefined;
}

export function num(v: unknown): number | undefined {
	const n = typeof v === 'string' ? Number(v) : v;
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** Appends `cadenceMessageId=<id>` so provider callbacks map back even when the send was `unknown`. */
export function withMessageId(url: string | null | undefined, messageId: string): string | undefined {
	if (!url) return undefined;
	try {
		const u = new URL(url);
		if (!u.searchParams.has('cadenceMessageId')) u.searchParams.set('cadenceMessageId', messageId);
		return u.toString();
	} catch {
		return url;
	}
}

export function rendered<C extends NonNullable<WorkItem['rendered']>['channel']>(
	item: WorkItem,
	channel: C,
): Extract<NonNullable<WorkItem['rendered']>, { channel: C }> {
	const r = item.rendered;
	if (!r || r.channel !== channel) throw new Error(`message ${item.message.messageId} was not rendered for ${channel}`);
	return r as Extract<NonNullable<WorkItem['rendered']>, { channel: C }>;
}
