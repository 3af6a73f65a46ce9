/**
 * The compliance rules a message must pass before it is sent, as SQL expressions: the lease applies
 * them to each due message, and the campaign review (audience preview) counts the same expressions
 * over an audience, so what the review predicts is what the lease will do. One copy of each rule.
 *
 * Each builder takes SQL expressions (column references of the caller's query), never values.
 */

/** The address a step's channel sends to: the email for email, the phone for SMS, WhatsApp and calls. */
export function leadAddressSql(channel: string, lead: string): string {
  return `CASE WHEN ${channel} = 'email' THEN ${lead}.email ELSE ${lead}.phone END`;
}

/** The address is on the organization's suppression list for that channel (unsubscribe, bounce, STOP...). */
export function suppressedSql(organizationId: string, channel: string, address: string): string {
  return `EXISTS (SELECT 1 FROM suppressions sup
                   WHERE sup.organization_id = ${organizationId} AND sup.channel = ${channel} AND sup.address = ${address})`;
}

/**
 * Consent policy: email is opt-out (refused only when `consent.email` is false); SMS, WhatsApp and
 * calls need an explicit opt-in (`consent.<channel>` true). Never NULL.
 */
export function consentAllowsSql(channel: string, consent: string): string {
  return `CASE WHEN ${channel} = 'email' THEN coalesce(${consent} ->> 'email', '') <> 'false'
               ELSE coalesce(${consent} ->> ${channel}, '') = 'true' END`;
}

/** The reasons compliance refuses a (lead, channel) pair, in the order the lease reports them. */
export const COMPLIANCE_SKIP_REASONS = ['missing_address', 'suppressed', 'no_consent'] as const;
export type ComplianceSkipReason = (typeof COMPLIANCE_SKIP_REASONS)[number];

/** The first compliance reason that refuses sending `channel` to the lead `lead` (a `leads` alias), or NULL. */
export function complianceSkipReasonSql(organizationId: string, channel: string, lead: string): string {
  const address = leadAddressSql(channel, lead);
  return `CASE WHEN ${address} IS NULL THEN 'missing_address'
               WHEN ${suppressedSql(organizationId, channel, address)} THEN 'suppressed'
               WHEN NOT (${consentAllowsSql(channel, `${lead}.consent`)}) THEN 'no_consent' END`;
}
