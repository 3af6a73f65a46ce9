import { ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppError } from '../errors/app-error';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * class-validator errors as `{field, message}` with the path clients know: `steps[0].templateId`,
 * `config.domain`. A nested message names the full path too ("steps[0].templateId must be a UUID").
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    // Items of a nested array come back as properties "0", "1", ...: no DTO property is all digits.
    const field = !parent ? e.property : /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: field !== e.property && message.startsWith(`${e.property} `) ? `${field}${message.slice(e.property.length)}` : message,
    }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

function validationFailed(errors: ValidationError[]): AppError {
  const details = flattenValidationErrors(errors);
  return new AppError('validation_failed', details.map((d) => d.message).join('; ') || 'Invalid request', details);
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: validationFailed,
  });
}

/**
 * The global pipe's check, for a body the pipe cannot type on its own (`POST /leads` takes one object or an
 * array; only the object is a DTO): same options, same `validation_failed` answer.
 */
export function validateBody<T extends object>(cls: new () => T, value: unknown): T {
  const instance = plainToInstance(cls, value);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw validationFailed(errors);
  return instance;
}
