import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { AppError, ErrorBody } from './app-error';

/** Maps framework and library errors onto stable codes so clients never parse messages. */
const HTTP_STATUS_CODES: Record<number, string> = {
  // Nest's own 400s come from its pipes (ParseUUIDPipe on an id): invalid input, like the DTOs' answers.
  [HttpStatus.BAD_REQUEST]: 'validation_failed',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'route_not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
};

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.code === 'not_ready') {
      // An expected state (n8n still starting, a probe polling): not a fault of this server.
      this.logger.debug(body.message);
    } else if (body.statusCode >= 500) {
      // Only the error's name and message: request bodies may carry secrets.
      this.logger.error(exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception));
    }
    if (!response.headersSent) response.status(body.statusCode).json(body);
    else response.end();
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof AppError) {
      return {
        statusCode: exception.statusCode,
        code: exception.code,
        message: exception.message,
        ...(exception.details !== undefined && { details: exception.details }),
      };
    }
    if (exception instanceof HttpException) {
      const status: HttpStatus = exception.getStatus();
      const res = exception.getResponse();
      const type = (exception as { type?: string }).type ?? (typeof res === 'object' ? (res as { type?: string }).type : undefined);
      if (status === HttpStatus.BAD_REQUEST && (type === 'entity.parse.failed' || /JSON/.test(exception.message))) {
        return { statusCode: status, code: 'invalid_json', message: 'The request body is not valid JSON' };
      }
      // A failed readiness check (@nestjs/terminus): say what is down and keep each component's state.
      if (status === HttpStatus.SERVICE_UNAVAILABLE && typeof res === 'object' && res && 'details' in res) {
        const down = Object.keys((res as { error?: Record<string, unknown> }).error ?? {});
        return { statusCode: status, code: 'not_ready', message: `Not ready: ${down.join(', ') || 'unknown'} down`, details: res.details };
      }
      const message = typeof res === 'object' && res && 'message' in res ? String(res.message) : exception.message;
      return { statusCode: status, code: HTTP_STATUS_CODES[status] ?? `http_${status}`, message };
    }
    const status = (exception as { status?: number; type?: string })?.status;
    if (status === 413) return { statusCode: 413, code: 'payload_too_large', message: 'The request body is too large' };
    if (status === 400 && (exception as { type?: string }).type === 'entity.parse.failed') {
      return { statusCode: 400, code: 'invalid_json', message: 'The request body is not valid JSON' };
    }
    // Word starts only: a constraint message naming the channel_connections table is not a lost connection.
    if (exception instanceof QueryFailedError && /\b(connect|terminat)/i.test(exception.message)) {
      return { statusCode: 503, code: 'database_unavailable', message: 'The database is unavailable' };
    }
    return { statusCode: 500, code: 'internal_error', message: 'Internal server error' };
  }
}
