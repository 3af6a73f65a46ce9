import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { Environment } from '../../config/environment';
import { AuthFailureLimiter } from './auth-failure.limiter';
import { PublicRouteThrottle } from './public-route.throttle';

/**
 * Rate limits: failed authentications per address, and the public routes (sign-in, tracking,
 * unsubscribe). With REDIS_URL the counters live in Redis, so a limit holds across every backend
 * instance; without it each process counts alone (@nestjs/throttler's in-memory storage).
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        throttlers: [{ name: 'public', ttl: 60_000, limit: env.PUBLIC_REQUESTS_PER_MINUTE }],
        errorMessage: 'Too many requests; retry later',
        ...(env.REDIS_URL && { storage: new ThrottlerStorageRedisService(env.REDIS_URL, { maxRetriesPerRequest: 2 }) }),
      }),
    }),
  ],
  providers: [AuthFailureLimiter, PublicRouteThrottle],
  exports: [AuthFailureLimiter, PublicRouteThrottle, ThrottlerModule],
})
export class SecurityModule implements OnApplicationShutdown {
  constructor(@Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage) {}

  /** The Redis connection is ours (made in the factory above): closed with the application. */
  onApplicationShutdown(): void {
    if (this.storage instanceof ThrottlerStorageRedisService) this.storage.onModuleDestroy();
  }
}
