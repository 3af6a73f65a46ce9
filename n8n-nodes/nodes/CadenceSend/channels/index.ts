import type { Sender, WorkItem } from '../../shared/types';
import type { ChannelDriver, DriverDeps } from './driver';
import { gmailDriver } from './gmail.channel';
import { mailgunDriver } from './mailgun.channel';
import { twilioSmsDriver } from './twilio-sms.channel';
import { twilioVoiceDriver, type VoiceOptions } from './twilio-voice.channel';
import { whatsappDriver } from './whatsapp.channel';

export type ChannelChoice = 'auto' | 'gmail' | 'mailgun' | 'twilioSms' | 'twilioVoice' | 'whatsapp';

export interface DriverOptions {
	mailgunBatching: boolean;
	mailgunMaxRecipients: number;
	mailgunBatchWindowMs: number;
	voice: VoiceOptions;
	dueAt: (item: WorkItem) => number;
}

/** `auto` follows the lease: sender.kind, and for Twilio the message channel (sms / voice). */
export function resolveChannel(choice: ChannelChoice, sender: Sender, item: WorkItem): Exclude<ChannelChoice, 'auto'> {
	if (choice !== 'auto') return choice;
	switch (sender.kind) {
		case 'gmail':
			return 'gmail';
		case 'mailgun':
			return 'mailgun';
		case 'whatsapp':
			return 'whatsapp';
		case 'twilio':
			return item.message.channel === 'voice' ? 'twilioVoice' : 'twilioSms';
		default:
			throw new Error(`unsupported sender kind: ${String((sender as { kind?: unknown }).kind)}`);
	}
}

export function createDriver(
	channel: Exclude<ChannelChoice, 'auto'>,
	sender: Sender,
	deps: DriverDeps,
	options: DriverOptions,
): ChannelDriver {
	switch (channel) {
		case 'gmail':
			return gmailDriver(sender, deps);
		case 'mailgun':
			return mailgunDriver(sender, deps, {
				batching: options.mailgunBatching,
				maxRecipients: options.mailgunMaxRecipients,
				batchWindowMs: options.mailgunBatchWindowMs,
				dueAt: options.dueAt,
			});
		case 'twilioSms':
			return twilioSmsDriver(sender, deps);
		case 'twilioVoice':
			return twilioVoiceDriver(sender, deps, options.voice);
		case 'whatsapp':
			return whatsappDriver(sender, deps);
	}
}
