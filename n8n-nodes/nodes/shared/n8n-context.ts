import type { IExecuteFunctions } from 'n8n-workflow';
import { BackendClient } from './backend-client';
import type { HttpFn } from './http';

/** The shared HttpFn over n8n's request helper (statuses resolved, network errors thrown, no redirect followed). */
export function n8nHttp(ctx: IExecuteFunctions): HttpFn {
	return async (req) => {
		const res = (await ctx.helpers.httpRequest({
			method: req.method,
			url: req.url,
			...(req.headers ? { headers: req.headers } : {}),
			...(req.body !== undefined ? { body: req.body } : {}),
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			...(req.timeoutMs ? { timeout: req.timeoutMs } : {}),
		})) as { statusCode: number; headers: Record<string, string>; body: unknown };
		return { status: res.statusCode, headers: res.headers ?? {}, body: res.body };
	};
}

export async function backendFor(ctx: IExecuteFunctions): Promise<BackendClient> {
	const creds = await ctx.getCredentials<{ baseUrl: string; apiKey: string }>('cadenceApi');
	return new BackendClient({ baseUrl: String(creds.baseUrl), apiKey: String(creds.apiKey) }, n8nHttp(ctx));
}
