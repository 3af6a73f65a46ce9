import { lazy } from 'react';

/**
 * Every page of the signed-in app, in navigation order: adding a page is one entry here. `nav` puts it in
 * the top bar; pages without it (details, wizards) are reached from their list. Pages load lazily so the
 * first paint carries only the shell and the page in view.
 */
export interface AppRoute {
  path: string;
  nav?: string;
  Page: React.LazyExoticComponent<React.ComponentType>;
}

const page = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

export const ROUTES: AppRoute[] = [
  { path: '/campaigns', nav: 'Campaigns', Page: page(() => import('./pages/campaigns/CampaignsPage'), 'CampaignsPage') },
  { path: '/campaigns/new', Page: page(() => import('./pages/campaigns/wizard/CampaignWizardPage'), 'CampaignWizardPage') },
  { path: '/campaigns/:id/edit', Page: page(() => import('./pages/campaigns/wizard/CampaignWizardPage'), 'CampaignWizardPage') },
  { path: '/campaigns/:id/analytics', Page: page(() => import('./pages/analytics/CampaignAnalyticsPage'), 'CampaignAnalyticsPage') },
  { path: '/campaigns/:id', Page: page(() => import('./pages/campaigns/detail/CampaignDetailPage'), 'CampaignDetailPage') },
  { path: '/dashboard', nav: 'Dashboard', Page: page(() => import('./pages/analytics/DashboardPage'), 'DashboardPage') },
  { path: '/inbox', nav: 'Inbox', Page: page(() => import('./pages/inbox/InboxPage'), 'InboxPage') },
  { path: '/callbacks', nav: 'Callbacks', Page: page(() => import('./pages/callbacks/CallbacksPage'), 'CallbacksPage') },
  { path: '/callbacks/:id', Page: page(() => import('./pages/callbacks/CallbackDetailPage'), 'CallbackDetailPage') },
  { path: '/events', nav: 'Events', Page: page(() => import('./pages/events/EventsPage'), 'EventsPage') },
  { path: '/leads', nav: 'Leads', Page: page(() => import('./pages/leads/LeadsPage'), 'LeadsPage') },
  { path: '/leads/import', Page: page(() => import('./pages/leads/LeadImportPage'), 'LeadImportPage') },
  { path: '/leads/:id', Page: page(() => import('./pages/leads/LeadDetailPage'), 'LeadDetailPage') },
  { path: '/templates', nav: 'Templates', Page: page(() => import('./pages/templates/TemplatesPage'), 'TemplatesPage') },
  { path: '/templates/library', Page: page(() => import('./pages/templates/TemplateLibraryPage'), 'TemplateLibraryPage') },
  { path: '/templates/new', Page: page(() => import('./pages/templates/TemplateEditorPage'), 'TemplateEditorPage') },
  { path: '/templates/:id', Page: page(() => import('./pages/templates/TemplateEditorPage'), 'TemplateEditorPage') },
  { path: '/whatsapp', nav: 'WhatsApp', Page: page(() => import('./pages/whatsapp/WhatsappTemplatesPage'), 'WhatsappTemplatesPage') },
  { path: '/suppressions', nav: 'Suppressions', Page: page(() => import('./pages/suppressions/SuppressionsPage'), 'SuppressionsPage') },
  { path: '/settings', nav: 'Settings', Page: page(() => import('./pages/settings/SettingsPage'), 'SettingsPage') },
];

/** Where `/` and unknown addresses go. */
export const HOME = '/campaigns';
