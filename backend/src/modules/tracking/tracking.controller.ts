import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { parseClickUrl } from '@cadence/render';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/public.decorator';
import { PublicRouteThrottle } from '../../common/security/public-route.throttle';
import { RequestInfo, TrackingService } from './tracking.service';

// The smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Links recipients follow: open pixel, click redirect, unsubscribe page and RFC 8058 one-click. */
@ApiExcludeController()
@Public()
@UseGuards(PublicRouteThrottle)
@Controller()
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  @Get('t/o/:token')
  async open(@Param('token') token: string, @Req() req: Request, @Res() res: Response) {
    await this.tracking.opened(token.replace(/\.gif$/, ''), requestInfo(req)).catch(() => undefined);
    // Mail clients load the pixel from another origin: helmet's same-origin resource policy would block it.
    res
      .status(200)
      .set({ 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0', 'cross-origin-resource-policy': 'cross-origin' })
      .send(PIXEL);
  }

  @Get('t/c/:token')
  async click(@Param('token') token: string, @Query() query: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const params = new URLSearchParams(query);
    const target = parseClickUrl(`https://tracking.invalid/?${params.toString()}`);
    // Only links the campaign's emails contain are followed: an unknown token or an unsigned or altered
    // target would make this endpoint an open redirect.
    const outcome = target ? await this.tracking.clicked(token, target, requestInfo(req)) : 'unsigned';
    if (outcome === 'recorded') {
      res.redirect(302, target!.url);
      return;
    }
    res
      .status(outcome === 'unknown_token' ? 404 : 400)
      .type('text/plain')
      .send('This link is broken.');
  }

  @Get('u/:token')
  async unsubscribePage(@Param('token') token: string, @Res() res: Response) {
    const who = await this.tracking.describe(token, 'unsubscribe');
    res
      .status(who ? 200 : 404)
      .type('text/html')
      .send(
        who
          ? page(
              'Unsubscribe',
              `<p>Stop receiving these emails at <strong>${escape(who.address)}</strong>?</p><form method="post"><button type="submit">Unsubscribe</button></form>`,
            )
          : page('Link expired', '<p>This unsubscribe link is not valid.</p>'),
      );
  }

  /** RFC 8058 one-click (mail clients POST `List-Unsubscribe=One-Click`) and the page's button. */
  @Post('u/:token')
  @HttpCode(200)
  async unsubscribe(@Param('token') token: string, @Res() res: Response) {
    const done = await this.tracking.unsubscribe(token);
    res
      .status(done ? 200 : 404)
      .type('text/html')
      .send(
        done
          ? page('Unsubscribed', `<p><strong>${escape(done.address)}</strong> will not receive these emails any more.</p>`)
          : page('Link expired', '<p>This unsubscribe link is not valid.</p>'),
      );
  }
}

/** Express answers HEAD with the GET route: the method tells a link checker from a visit. */
function requestInfo(req: Request): RequestInfo {
  return { method: req.method, userAgent: req.get('user-agent') };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}button{font:inherit;padding:.5rem 1.25rem;border-radius:.375rem;border:1px solid #1f2937;background:#1f2937;color:#fff;cursor:pointer}button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;
}
