/**
 * The template library's categories: what a starter or a saved template is for. Zod-free so the web
 * app can import it (`@cadence/contracts/src/template-library`) without bundling the wire schemas.
 */
export const LIBRARY_CATEGORIES = [
  'welcome',
  'follow_up',
  're_engagement',
  'appointment_reminder',
  'promotion',
  'utility',
  'other',
] as const;
export type LibraryCategory = (typeof LIBRARY_CATEGORIES)[number];

export const LIBRARY_CATEGORY_LABELS: Record<LibraryCategory, string> = {
  welcome: 'Welcome',
  follow_up: 'Follow-up',
  re_engagement: 'Re-engagement',
  appointment_reminder: 'Appointment reminder',
  promotion: 'Promotion',
  utility: 'Utility',
  other: 'Other',
};

/** Built-in starters are named by a slug (`starter-…`); the organization's own entries by their template id. */
export const STARTER_ID_PATTERN = /^starter-[a-z0-9-]{1,60}$/;
