import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * An organization's API key for the public REST API (/api/v1), what any program uses. Kept apart
 * from `cadenceApi` on purpose: that one holds the backend's INTERNAL_API_TOKEN (the sending loop),
 * which must never be handed to a workflow that only records events.
 */
export class CadencePublicApi implements ICredentialType {
	name = 'cadencePublicApi';

	// What the app calls it (Settings → API keys), and not to be confused with "Cadence API" (the internal token).
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'Cadence API Key';

	icon = { light: 'file:cadence.svg', dark: 'file:cadence.dark.svg' } as const;

	documentationUrl = 'https://github.com/cadence/cadence/tree/main/n8n-nodes#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:3000',
			placeholder: 'http://127.0.0.1:3000',
			description: 'Where the Cadence backend answers (its /api/v1 API)',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'cad_0123456789abcdef_...',
			description: "A key from the app's Settings → API keys (cad_<prefix>_<secret>), sent as a Bearer token",
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// Needs a valid key of an organization and changes nothing (the trigger builder's name list).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v1/events/names',
			method: 'GET',
		},
	};
}
