import { AppError } from '../../common/errors/app-error';

/**
 * One authenticated GET to the Graph API for the template sync: bounded in time, no redirect followed
 * (the token must not travel elsewhere), a network failure answered as `whatsapp_sync_failed`.
 */
export async function graphGet(url: string, accessToken: string): Promise<Response> {
  try {
    return await fetch(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new AppError('whatsapp_sync_failed', `Could not reach ${new URL(url).origin} (${cause})`);
  }
}
