import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { returning } from '../../database/returning';
import { AuthKeys, safeEqual, sha256 } from './auth-keys';
import { OAuthPurpose, OAuthState } from './oauth-state.entity';

const STATE_TTL_MS = 10 * 60_000;

/** What a flow's start attaches to the state; `binding` is the browser secret the callback must present again. */
export interface StateRequest {
  purpose: OAuthPurpose;
  binding: string;
  organizationId?: string;
  userId?: string;
  data?: Record<string, unknown>;
}

type StoreCallback = (err: Error | null, state?: string) => void;
/** `ok` is the PKCE code verifier when there is one: passport-oauth2 then sends it with the code. */
type VerifyCallback = (err: Error | null, ok: boolean | string, state?: OAuthState | { message: string }) => void;

/**
 * passport-oauth2 state store, in PostgreSQL so any backend instance can finish a flow another began.
 * `state` = `<row id>.<HMAC>`: forged values fail the HMAC, replayed ones find their row already deleted,
 * and a state started by another browser fails the binding check.
 */
export class OAuthStateStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: AuthKeys,
    private readonly purpose: OAuthPurpose,
    /** The binding secret of the browser making the callback (session id, pre-sign-in cookie). */
    private readonly bindingOf: (req: Request) => Promise<string | undefined>,
  ) {}

  /** Five parameters: passport-oauth2 hands a PKCE store the code verifier (it checks the arity). */
  store(_req: Request, verifier: string | undefined, state: StateRequest, _meta: unknown, callback: StoreCallback): void {
    this.dataSource
      .getRepository(OAuthState)
      .save({
        purpose: state.purpose,
        codeVerifier: verifier ?? null,
        bindingHash: sha256(state.binding),
        organizationId: state.organizationId ?? null,
        userId: state.userId ?? null,
        data: state.data ?? {},
        expiresAt: new Date(Date.now() + STATE_TTL_MS),
      })
      .then((row) => {
        // Abandoned flows leave rows behind; each new flow sweeps the expired ones.
        void this.dataSource.query('DELETE FROM oauth_states WHERE expires_at < now()').catch(() => undefined);
        callback(null, `${row.id}.${this.keys.signState(`${row.id}.${row.purpose}`)}`);
      })
      .catch((error: Error) => callback(error));
  }

  verify(req: Request, provided: string | undefined, _meta: unknown, callback: VerifyCallback): void {
    this.consume(req, provided).then(
      (result) =>
        typeof result === 'string' ? callback(null, false, { message: result }) : callback(null, result.codeVerifier ?? true, result),
      (error: Error) => callback(error, false),
    );
  }

  /** The state row, consumed; or why it is refused. */
  async consume(req: Request, provided: string | undefined): Promise<OAuthState | string> {
    const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(provided ?? '');
    if (!match || !safeEqual(match[2], this.keys.signState(`${match[1]}.${this.purpose}`)))
      return 'The sign-in request was not issued by this server (invalid state).';
    const rows = await returning<{
      binding_hash: string;
      organization_id: string | null;
      user_id: string | null;
      data: Record<string, unknown>;
      expires_at: string | Date;
      code_verifier: string | null;
    }>(
      this.dataSource,
      'DELETE FROM oauth_states WHERE id = $1 AND purpose = $2 RETURNING binding_hash, organization_id, user_id, data, expires_at, code_verifier',
      [match[1], this.purpose],
    );
    const raw = rows[0];
    const row =
      raw &&
      Object.assign(new OAuthState(), {
        id: match[1],
        purpose: this.purpose,
        bindingHash: raw.binding_hash,
        organizationId: raw.organization_id,
        userId: raw.user_id,
        data: raw.data ?? {},
        expiresAt: new Date(raw.expires_at),
        codeVerifier: raw.code_verifier,
      });
    if (!row) return 'This sign-in link was already used or has expired. Start again.';
    if (row.expiresAt.getTime() < Date.now()) return 'The sign-in took too long and expired. Start again.';
    const binding = await this.bindingOf(req);
    if (!binding || !safeEqual(row.bindingHash, sha256(binding)))
      return 'The sign-in was started in another browser session. Start again from this page.';
    return row;
  }
}
