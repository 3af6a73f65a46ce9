import type { RequestContext } from './request-context';

export type Handler = (rc: RequestContext) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

export type RouteMatch = { handler: Handler; params: string[] } | 'method-not-allowed' | undefined;

/** A flat list of anchored regexes: a few dozen routes, so a scan beats a trie in simplicity. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: RegExp, handler: Handler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) {
        pathMatched = true;
        continue;
      }
      return { handler: r.handler, params: m.slice(1).map((p) => (p === undefined ? '' : decodeURIComponent(p))) };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}
