import type { ServerResponse } from 'node:http';

/**
 * Keeps the socket corked until the end of this event-loop turn, so responses to pipelined
 * requests that finish in the same turn leave in one write. On this kind of server a write
 * syscall costs more than building the response.
 */
function corkUntilTurnEnds(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  socket.cork();
  setImmediate(() => socket.uncork());
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  corkUntilTurnEnds(res);
  res.end(payload);
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
  headers?: Record<string, string>,
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'content-length': 0 });
  res.end();
}

/** Control API error shape, the same as the backend's: stable machine `code`. */
export function sendControlError(res: ServerResponse, statusCode: number, code: string, message: string, details?: unknown): void {
  sendJson(res, statusCode, details === undefined ? { statusCode, code, message } : { statusCode, code, message, details });
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
