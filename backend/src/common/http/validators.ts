import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * A union given as an object with exactly one of several keys, e.g. a sender `{"channelId"}` or
 * `{"emailAccountId"}`. Reported on the property itself (`sender`, `steps[0].sender`); the chosen key's
 * own rules (`@IsUUID()` ...) are checked by the nested DTO.
 */
export function ExactlyOneOf(keys: readonly string[], message: string, options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'exactlyOneOf',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [keys],
      options: { message, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          if (value === undefined || value === null) return true; // @IsOptional / @IsDefined decide
          if (typeof value !== 'object' || Array.isArray(value)) return false;
          const given = (args.constraints[0] as string[]).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
          return given.length === 1;
        },
      },
    });
  };
}

/** A JSON object (not an array, not null) whose keys are free: lead attributes, provider extras. */
export function IsPlainObject(options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isPlainObject',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an object', ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value),
      },
    });
  };
}

/**
 * The properties a client actually sent. DTO instances declare every field (class fields are defined, as
 * `undefined`, at construction), so `{ ...stored, ...dto }` would erase what the client left out.
 */
export function sentFields<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<T>;
}
