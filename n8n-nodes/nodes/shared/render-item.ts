import { leaseRenderContext, renderTemplate, TemplateRenderError, type RenderOptions } from '@cadence/render';
import type { Outcome, Rendered, WorkItem } from './types';

export interface RenderItemOptions {
	/** Add click tracking / open pixel when the lease carries tracking URLs. */
	tracking?: boolean;
	/** Add List-Unsubscribe headers when the lease carries an unsubscribe URL. */
	unsubscribeHeaders?: boolean;
	renderTimeMs?: number;
}

export type RenderItemResult = { rendered: Rendered } | { result: Extract<Outcome, { outcome: 'skipped' | 'failed' }> };

/** Renders one leased message with the project's one renderer (@cadence/render). */
export function renderWorkItem(item: WorkItem, options: RenderItemOptions = {}): RenderItemResult {
	const m = item.message;
	const tracking = m.tracking ?? {};
	const context = leaseRenderContext(m, item.sender?.config);
	const renderOptions: RenderOptions = {};
	if (options.tracking !== false && (tracking.clickBaseUrl || tracking.openPixelUrl)) {
		renderOptions.tracking = {
			...(tracking.clickBaseUrl ? { clickBaseUrl: tracking.clickBaseUrl } : {}),
			...(tracking.clickSigningKey ? { clickSigningKey: tracking.clickSigningKey } : {}),
			...(tracking.openPixelUrl ? { openPixelUrl: tracking.openPixelUrl } : {}),
		};
	}
	if (options.unsubscribeHeaders !== false && tracking.unsubscribeUrl) {
		renderOptions.unsubscribe = { url: tracking.unsubscribeUrl };
	}
	if (options.renderTimeMs) renderOptions.limits = { renderTimeMs: options.renderTimeMs };
	const template = { ...m.template, channel: m.template?.channel ?? m.channel };
	try {
		const r = renderTemplate(template, context, renderOptions);
		if (r.status === 'skipped') {
			return { result: { outcome: 'skipped', reason: r.reason, errorMessage: r.variables.join(', ') } };
		}
		switch (r.channel) {
			case 'email':
				return {
					rendered: {
						channel: 'email',
						subject: r.subject,
						...(r.html !== undefined ? { html: r.html } : {}),
						text: r.text,
						headers: { ...r.headers },
					},
				};
			case 'sms':
				return { rendered: { channel: 'sms', body: r.body, encoding: r.encoding, segments: r.segments, characters: r.characters } };
			case 'whatsapp':
				return {
					rendered: {
						channel: 'whatsapp',
						name: r.name,
						language: r.language,
						components: r.components,
						...(r.text !== undefined ? { text: r.text } : {}),
					},
				};
			case 'voice':
				return { rendered: { channel: 'voice', twiml: r.twiml } };
		}
	} catch (err) {
		// A template problem (not about this lead): the message cannot be sent as it is.
		const code = err instanceof TemplateRenderError ? err.code : 'render_failed';
		return { result: { outcome: 'failed', errorCode: code, errorMessage: (err as Error).message } };
	}
	return { result: { outcome: 'failed', errorCode: 'render_failed', errorMessage: `unsupported channel ${String(template.channel)}` } };
}
