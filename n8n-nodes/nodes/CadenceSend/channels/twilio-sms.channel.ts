import type { TwilioApiClient } from './twilio-client';
import type { Sender } from '../../shared/types';
import { rendered, str, withMessageId, type ChannelDriver, type DriverDeps } from './driver';
import { forMessage, twilioClient, twilioProviderError } from './twilio-client';

/** Twilio Programmable Messaging: one `messages.create` per message. */
export function twilioSmsDriver(sender: Sender, deps: DriverDeps): ChannelDriver {
	let client: TwilioApiClient | undefined;
	const from = str(sender.config.from);
	const service = str(sender.config.messagingServiceSid);
	return {
		provider: 'twilio',
		limits: () => ({}),
		prepare() {
			client ??= twilioClient(sender, deps.requestTimeoutMs);
			void client.api.account.messages;
		},
		async send([item]) {
			client ??= twilioClient(sender, deps.requestTimeoutMs);
			const sms = rendered(item, 'sms');
			const statusCallback = withMessageId(item.message.callbacks?.statusCallbackUrl, item.message.messageId);
			const msg = await forMessage(item.message.messageId, () =>
				client!.api.account.messages.create({
					to: item.message.lead.phone ?? '',
					...(from ? { from } : { messagingServiceSid: service ?? '' }),
					body: sms.body,
					...(statusCallback ? { statusCallback } : {}),
				}),
			);
			return [msg.sid];
		},
		toProviderError: twilioProviderError,
	};
}
