import { HttpStatus } from '@nestjs/common';

/**
 * Every machine-readable error code the API can answer, with its HTTP status, in one place.
 * Codes are part of the public contract: add freely, never rename.
 */
export const ERROR_CODES = {
  validation_failed: HttpStatus.BAD_REQUEST,
  invalid_json: HttpStatus.BAD_REQUEST,
  invalid_cursor: HttpStatus.BAD_REQUEST,
  invalid_csv: HttpStatus.BAD_REQUEST,
  invalid_mapping: HttpStatus.BAD_REQUEST,
  csv_no_valid_rows: HttpStatus.UNPROCESSABLE_ENTITY,
  csv_audience_too_large: HttpStatus.UNPROCESSABLE_ENTITY,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  body_too_deep: HttpStatus.BAD_REQUEST,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  invitation_invalid: HttpStatus.FORBIDDEN,
  invitation_required: HttpStatus.FORBIDDEN,
  channel_base_url_refused: HttpStatus.BAD_REQUEST,
  // 406 tells Mailgun not to retry.
  webhook_replayed: HttpStatus.NOT_ACCEPTABLE,
  unauthorized: HttpStatus.UNAUTHORIZED,
  api_key_revoked: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  route_not_found: HttpStatus.NOT_FOUND,
  lead_not_found: HttpStatus.NOT_FOUND,
  template_not_found: HttpStatus.NOT_FOUND,
  // Neither a built-in starter nor a template this organization saved to its library.
  library_template_not_found: HttpStatus.NOT_FOUND,
  suppression_not_found: HttpStatus.NOT_FOUND,
  channel_not_found: HttpStatus.NOT_FOUND,
  api_key_not_found: HttpStatus.NOT_FOUND,
  lead_conflict: HttpStatus.CONFLICT,
  // A delete refused because other records still refer to the row (a channel or template a campaign uses).
  resource_in_use: HttpStatus.CONFLICT,
  idempotency_key_reused: HttpStatus.UNPROCESSABLE_ENTITY,
  campaign_not_found: HttpStatus.NOT_FOUND,
  // An analytics range that is reversed, malformed or longer than allowed for its bucket.
  invalid_range: HttpStatus.BAD_REQUEST,
  conversation_not_found: HttpStatus.NOT_FOUND,
  conversation_invalid_transition: HttpStatus.CONFLICT,
  // Replying needs a lead (the reply is a message to them) and a sender that still exists.
  conversation_not_replyable: HttpStatus.CONFLICT,
  whatsapp_window_closed: HttpStatus.CONFLICT,
  assignee_not_found: HttpStatus.BAD_REQUEST,
  callback_not_found: HttpStatus.NOT_FOUND,
  // A status move the callback state machine (callbacks/callback-status.ts) does not allow from the current status.
  callback_invalid_transition: HttpStatus.CONFLICT,
  // Round-robin assignment found no member in the organization.
  no_agent_available: HttpStatus.CONFLICT,
  // Call now: the agent (the signed-in member, or the assignee for an API key) has no phone on their profile.
  agent_phone_missing: HttpStatus.CONFLICT,
  // Call now: the organization has no Twilio channel with a number to call from.
  voice_channel_missing: HttpStatus.CONFLICT,
  // Call now: an attempt for this request has not ended yet.
  callback_call_in_progress: HttpStatus.CONFLICT,
  // Call now: no lead to call, or the lead's number is suppressed or has no voice consent.
  callback_not_callable: HttpStatus.CONFLICT,
  campaign_invalid_transition: HttpStatus.CONFLICT,
  sender_not_paused: HttpStatus.CONFLICT,
  campaign_not_editable: HttpStatus.CONFLICT,
  // A retry of a campaign that is not a blast, or not active / paused / completed.
  campaign_not_retryable: HttpStatus.CONFLICT,
  // The pre-launch check found blocking problems (a disconnected mailbox, a failed channel test...): they are in the details.
  campaign_check_failed: HttpStatus.UNPROCESSABLE_ENTITY,
  message_not_found: HttpStatus.NOT_FOUND,
  run_not_found: HttpStatus.NOT_FOUND,
  invalid_internal_token: HttpStatus.UNAUTHORIZED,
  invalid_signature: HttpStatus.FORBIDDEN,
  // An inbound email route post without the fields a message needs (Mailgun forward()).
  invalid_inbound_message: HttpStatus.BAD_REQUEST,
  suppression_conflict: HttpStatus.CONFLICT,
  channel_in_use: HttpStatus.CONFLICT,
  template_invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  template_render_failed: HttpStatus.UNPROCESSABLE_ENTITY,
  whatsapp_template_not_found: HttpStatus.NOT_FOUND,
  // The channel has no businessAccountId, so its templates cannot be listed.
  whatsapp_account_missing: HttpStatus.CONFLICT,
  // Meta refused or could not be reached while listing the templates.
  whatsapp_sync_failed: HttpStatus.BAD_GATEWAY,
  // A campaign's WhatsApp template is not in the synced catalog as APPROVED (or its parameters do not fit it).
  whatsapp_template_not_approved: HttpStatus.UNPROCESSABLE_ENTITY,
  whatsapp_template_parameters_mismatch: HttpStatus.UNPROCESSABLE_ENTITY,
  csrf_failed: HttpStatus.FORBIDDEN,
  oauth_state_invalid: HttpStatus.BAD_REQUEST,
  signup_closed: HttpStatus.FORBIDDEN,
  user_conflict: HttpStatus.CONFLICT,
  google_not_configured: HttpStatus.SERVICE_UNAVAILABLE,
  email_account_not_connected: HttpStatus.CONFLICT,
  // Google Sheets lead import (modules/sheets): the mailbox's Google grant lacks spreadsheets.readonly (grant it
  // incrementally), an id or range Google cannot read, the file missing or not shared with the account, bounds.
  sheets_scope_missing: HttpStatus.FORBIDDEN,
  spreadsheet_id_invalid: HttpStatus.BAD_REQUEST,
  spreadsheet_not_found: HttpStatus.NOT_FOUND,
  spreadsheet_forbidden: HttpStatus.FORBIDDEN,
  sheet_range_invalid: HttpStatus.BAD_REQUEST,
  sheet_invalid: HttpStatus.BAD_REQUEST,
  sheet_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  sheets_unavailable: HttpStatus.BAD_GATEWAY,
  sheets_timeout: HttpStatus.GATEWAY_TIMEOUT,
  // AI drafting (modules/ai-drafting): no AI provider configured for the organization (Settings > AI provider).
  ai_not_configured: HttpStatus.CONFLICT,
  // The AI provider's base URL is refused by the server's URL policy (CUSTOM_PROVIDER_URLS, PROVIDER_URL_ALLOWLIST).
  ai_base_url_refused: HttpStatus.BAD_REQUEST,
  // The AI provider refused the key (401 / 403).
  ai_provider_unauthorized: HttpStatus.BAD_GATEWAY,
  // The AI provider answered 429: try again later (details.retryAfterSeconds when it said).
  ai_provider_rate_limited: HttpStatus.SERVICE_UNAVAILABLE,
  // Any other failure of the AI provider: a 5xx or unexpected status, a connection error, an oversized answer.
  ai_provider_error: HttpStatus.BAD_GATEWAY,
  ai_provider_timeout: HttpStatus.GATEWAY_TIMEOUT,
  // The completion was not the JSON asked for, or its template failed validation twice (details.problems).
  ai_draft_invalid: HttpStatus.BAD_GATEWAY,
  secret_decryption_failed: HttpStatus.INTERNAL_SERVER_ERROR,
  database_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  internal_error: HttpStatus.INTERNAL_SERVER_ERROR,
} as const satisfies Record<string, HttpStatus>;

export type ErrorCode = keyof typeof ERROR_CODES;
