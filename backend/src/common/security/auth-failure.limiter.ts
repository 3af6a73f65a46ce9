import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { Environment } from '../../config/environment';
import { AppError } from '../errors/app-error';

const WINDOW_MS = 60_000;

/**
 * Counts failed authentications per client address. Past AUTH_FAILURES_PER_MINUTE, failures answer 429
 * `rate_limited` (with Retry-After) instead of 401 for the rest of the window: guessing keys is pointless
 * at 256 bits, but every attempt costs a lookup, and a client stuck on a revoked key should back off.
 * Valid credentials are never refused by it.
 */
@Injectable()
export class AuthFailureLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly env: Environment,
  ) {}

  /** Records one failure of `client`; the AppError to throw instead of `failure` once past the limit. */
  async failed(client: string, failure: AppError): Promise<AppError> {
    const record = await this.storage.increment(`auth-failure:${client}`, WINDOW_MS, this.env.AUTH_FAILURES_PER_MINUTE, WINDOW_MS, 'auth');
    if (!record.isBlocked) return failure;
    const retryAfterSeconds = Math.max(1, Math.ceil(record.timeToBlockExpire));
    return new AppError('rate_limited', `Too many failed authentications from this address; retry in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
}
