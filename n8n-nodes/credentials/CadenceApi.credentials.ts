import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class CadenceApi implements ICredentialType {
	name = 'cadenceApi';

	displayName = 'Cadence API';

	icon = { light: 'file:cadence.svg', dark: 'file:cadence.dark.svg' } as const;

	documentationUrl = 'https://github.com/cadence/cadence/tree/main/n8n-nodes#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:3000',
			placeholder: 'http://127.0.0.1:3000',
			description: 'Where the Cadence backend answers (its /internal/v1 API)',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The backend INTERNAL_API_TOKEN, sent as a Bearer token',
			required: true,
		},
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The backend TRIGGER_SIGNING_SECRET; the Campaign Trigger verifies the HMAC of every signal with it',
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

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/internal/v1/ping',
			method: 'GET',
		},
	};
}
