import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { Environment } from '../../config/environment';
import { AuthFailureLimiter } from './auth-failure.limiter';
import { PublicRouteThrottle } from './public-route.throttle';

/**
 * Rate limits: failed authentications per address, and the public routes (sign-in, tracking,
 * unsubscribe). Counters live in this process (@nestjs/throttler's in-memory storage); behind several
 * instances each keeps its own, so the effective limit is per instance.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        throttlers: [{ name: 'public', ttl: 60_000, limit: env.PUBLIC_REQUESTS_PER_MINUTE }],
        errorMessage: 'Too many requests; retry later',
      }),
    }),
  ],
  providers: [AuthFailureLimiter, PublicRouteThrottle],
  exports: [AuthFailureLimiter, PublicRouteThrottle, ThrottlerModule],
})
export class SecurityModule {}
