import { headerValue } from '../../shared/http';
import { networkCodeOf, type ProviderError } from '../../shared/outcome';
import { parseRetryAfter } from '../../shared/time';
import type { Sender } from '../../shared/types';
import { rendered, str, type ChannelDriver, type DriverDeps } from './driver';

class WhatsAppHttpError extends Error {
	constructor(readonly providerError: ProviderError) {
		super(providerError.message);
	}
}

/** WhatsApp Cloud API template (and session text) messages, plain HTTP through the host's request helper. */
export function whatsappDriver(sender: Sender, deps: DriverDeps): ChannelDriver {
	const base = (str(sender.config.baseUrl) ?? 'https://graph.facebook.com').replace(/\/+$/, '');
	const version = str(sender.config.apiVersion) ?? 'v21.0';
	const phoneNumberId = str(sender.config.phoneNumberId) ?? '';
	const token = str(sender.secrets.accessToken) ?? '';
	return {
		provider: 'whatsapp',
		limits: () => ({}),
		async send([item]) {
			const wa = rendered(item, 'whatsapp');
			const res = await deps.http({
				method: 'POST',
				url: `${base}/${version}/${encodeURIComponent(phoneNumberId)}/messages`,
				headers: { authorization: `Bearer ${token}`, 'x-cadence-message-id': item.message.messageId },
				body: {
					messaging_product: 'whatsapp',
					recipient_type: 'individual',
					to: (item.message.lead.phone ?? '').replace(/^\+/, ''),
					// A session text (an inbox reply inside the 24-hour window), else the approved template.
					...(wa.text !== undefined
						? { type: 'text', text: { preview_url: false, body: wa.text } }
						: { type: 'template', template: { name: wa.name, language: { code: wa.language }, components: wa.components } }),
					biz_opaque_callback_data: item.message.messageId,
				},
				timeoutMs: deps.requestTimeoutMs,
			});
			const body = res.body as
				{ messages?: Array<{ id?: string }>; error?: { code?: number; message?: string; error_subcode?: number } } | undefined;
			if (res.status >= 200 && res.status < 300) {
				const id = body?.messages?.[0]?.id;
				if (!id) throw new WhatsAppHttpError({ status: 502, code: 'no_message_id', message: 'accepted without a message id' });
				return [id];
			}
			const ra = parseRetryAfter(headerValue(res.headers, 'retry-after'));
			throw new WhatsAppHttpError({
				status: res.status,
				...(body?.error?.code !== undefined ? { code: body.error.code } : {}),
				message: body?.error?.message ?? `HTTP ${res.status}`,
				...(ra !== undefined ? { retryAfterMs: ra } : {}),
			});
		},
		toProviderError(err) {
			if (err instanceof WhatsAppHttpError) return err.providerError;
			return { message: (err as Error)?.message ?? String(err), networkCode: networkCodeOf(err) ?? 'ENETWORK' };
		},
	};
}
