import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { BackendClient } from './backend-client';
import type { HttpFn } from './http';

/**
 * The shared HttpFn over n8n's request helper (statuses resolved, network errors thrown, no redirect
 * followed). With a credential type the request goes through httpRequestWithAuthentication: n8n adds
 * that credential's `authenticate` headers itself, so the key never passes through node code.
 */
export function n8nHttp(ctx: IExecuteFunctions, credentialType?: string): HttpFn {
	return async (req) => {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: req.url,
			...(req.headers ? { headers: req.headers } : {}),
			...(req.body !== undefined ? { body: req.body } : {}),
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			...(req.timeoutMs ? { timeout: req.timeoutMs } : {}),
		};
		const res = (
			credentialType
				? await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options)
				: await ctx.helpers.httpRequest(options)
		) as { statusCode: number; headers: Record<string, string>; body: unknown };
		return { status: res.statusCode, headers: res.headers ?? {}, body: res.body };
	};
}

export async function backendFor(ctx: IExecuteFunctions): Promise<BackendClient> {
	const creds = await ctx.getCredentials<{ baseUrl: string; apiKey: string }>('cadenceApi');
	return new BackendClient({ baseUrl: String(creds.baseUrl), apiKey: String(creds.apiKey) }, n8nHttp(ctx));
}
