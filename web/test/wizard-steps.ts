import assert from 'node:assert/strict';
import type { BrowserHarness } from './harness';

/**
 * What the browser tests of the create-campaign wizard share: creating their fixtures through the API
 * from the page, moving through the wizard's steps, and filling a one-step campaign up to its audience.
 */
export function wizardSteps(h: BrowserHarness) {
  /** POSTs from the page (session and CSRF as the app sends them); the created id. */
  const created = async (path: string, body: unknown): Promise<string> => {
    const res = await h.apiFromPage<{ id: string }>('POST', path, body);
    assert.ok(res.status === 201 || res.status === 200, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const next = () => h.page.getByRole('button', { name: 'Next →' }).click();
  const heading = (text: string) => h.page.getByRole('heading', { name: new RegExp(`Step \\d of 5: ${text}`) }).waitFor();
  /** A new campaign named `name` whose step 1 sends `template` on `channel` through `sender`; ends on the Audience step. */
  const oneStepCampaign = async (c: { name: string; channel: string; sender: string; template: string }) => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/new`);
    await heading('Name & type');
    await h.page.getByLabel('Campaign name').fill(c.name);
    await next();
    await heading('Steps');
    await h.page.getByLabel('Step 1 channel').selectOption(c.channel);
    await h.page.getByLabel('Step 1 sender').selectOption({ label: c.sender });
    await h.page.getByLabel('Step 1 template').selectOption({ label: c.template });
    await next();
    await heading('Audience');
  };
  return { created, next, heading, oneStepCampaign };
}
