/**
 * Channels a campaign step, a template, a consent or a suppression can be about. In a file of its own, free
 * of zod, so the web app can import it (and what builds on it) without the schemas.
 */
export const CHANNELS = ['email', 'sms', 'whatsapp', 'voice'] as const;
