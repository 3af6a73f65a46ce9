import type { TwilioApiClient } from './twilio-client';
import type { Sender, WorkItem } from '../../shared/types';
import { num, rendered, str, withMessageId, type ChannelDriver, type DriverDeps } from './driver';
import { forMessage, twilioClient, twilioProviderError } from './twilio-client';

const FINAL_CALL_STATES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export interface VoiceOptions {
	/**
	 * Fallback only: also hold a per-execution concurrency slot until the call ended (polls the call
	 * resource). The backend holds each call's slot across every execution (taken at lease, freed by the
	 * final status callback), so this is off by default.
	 */
	waitForCallEnd: boolean;
	pollIntervalMs: number;
	maxCallWaitMs: number;
}

/**
 * Where the call's TwiML comes from. With answering-machine detection Twilio fetches it from the
 * backend once it knows who answered (a machine gets the voicemail or a hang-up); otherwise the TwiML
 * rendered here goes inline.
 */
function twimlSource(callbacks: WorkItem['message']['callbacks'], twiml: string) {
	if (callbacks?.twimlUrl && callbacks.machineDetection)
		return { url: callbacks.twimlUrl, method: 'POST', machineDetection: callbacks.machineDetection };
	return { twiml };
}

/**
 * Twilio outbound calls with the rendered TwiML (`<Say>` or `<Connect><Stream>`). Live calls are
 * bounded by the backend (a call slot per call, taken at lease, freed by its final status callback),
 * call starts paced by the lease's grant; `callDelaySeconds` also spaces starts within the execution.
 * With `waitForCallEnd` (a fallback), `maxConcurrentCalls` is held here too, per execution.
 */
export function twilioVoiceDriver(sender: Sender, deps: DriverDeps, options: VoiceOptions): ChannelDriver {
	let client: TwilioApiClient | undefined;
	const from = str(sender.config.from) ?? '';
	const maxConcurrent = num(sender.config.maxConcurrentCalls);
	const delaySeconds = num(sender.config.callDelaySeconds) ?? 0;
	const get = () => (client ??= twilioClient(sender, deps.requestTimeoutMs));
	return {
		provider: 'twilio',
		limits: () => ({
			...(options.waitForCallEnd && maxConcurrent && maxConcurrent > 0 ? { maxConcurrent } : {}),
			...(delaySeconds > 0 ? { minSpacingMs: delaySeconds * 1000 } : {}),
		}),
		prepare() {
			void get().api.account.calls;
		},
		async send([item]) {
			const voice = rendered(item, 'voice');
			const statusCallback = withMessageId(item.message.callbacks?.statusCallbackUrl, item.message.messageId);
			const call = await forMessage(item.message.messageId, () =>
				get().api.account.calls.create({
					// The lease's address: the lead's number, or the agent's for a call-now bridge (which dials the lead).
					to: item.message.to ?? item.message.lead.phone ?? '',
					from,
					...twimlSource(item.message.callbacks, voice.twiml),
					...(statusCallback ? { statusCallback, statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'] } : {}),
				}),
			);
			return [call.sid];
		},
		async hold(_unit, [sid]) {
			if (!options.waitForCallEnd || !maxConcurrent || !sid) return;
			const until = deps.clock.now() + options.maxCallWaitMs;
			while (deps.clock.now() < until) {
				await deps.clock.sleep(options.pollIntervalMs);
				try {
					const call = await get().api.account.calls(sid).fetch();
					if (FINAL_CALL_STATES.has(call.status)) return;
				} catch {
					// A failed poll says nothing about the call; keep waiting until the bound.
				}
			}
		},
		toProviderError: twilioProviderError,
	};
}
