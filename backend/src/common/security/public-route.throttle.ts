import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';

/**
 * Throttles the routes anyone can call. Tracking and unsubscribe links are limited per link token, not
 * per address: mail providers fetch images through a few proxy addresses (Gmail's image proxy opens
 * every recipient's pixel), so a per-address limit would drop real opens, while one recipient (or a
 * scanner replaying one link) hammering a token is exactly what must stop. Sign-in is per address.
 */
@Injectable()
export class PublicRouteThrottle extends ThrottlerGuard {
  protected override getTracker(raw: Record<string, unknown>): Promise<string> {
    const req = raw as unknown as Request;
    const token = (req.params as Record<string, string | undefined>).token;
    if (token && (req.path.startsWith('/t/') || req.path.startsWith('/u/'))) return Promise.resolve(`token:${token}`);
    return Promise.resolve(`ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`);
  }
}
