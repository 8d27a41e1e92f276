import { ApiProperty, DECORATORS, type ApiPropertyOptions } from '@nestjs/swagger';
import { propertySchemasOf } from './validation-schema.js';

/** What a field's own `@ApiProperty({ description })` may add to what its validators say. */
const OWN_KEYS = ['description', 'example', 'deprecated', 'default'] as const;

/**
 * Documents a DTO class in the OpenAPI document from its class-validator decorators: type, enum,
 * format, pattern, bounds, required. A field adds its prose with `@ApiPropertyOptional({
 * description })`; everything a validator already says comes from the validator. (Nest's swagger
 * CLI plugin does this at compile time; this does it at start, with no build step.)
 */
export function OpenApiFromValidation(): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as object;
    for (const property of propertySchemasOf(target as unknown as abstract new () => unknown)) {
      const own = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, prototype, property.name) ??
        {}) as Record<string, unknown>;
      const extra = Object.fromEntries(
        OWN_KEYS.filter((key) => own[key] !== undefined).map((key) => [key, own[key]]),
      );
      const { type, items, ...rest } = property.schema;
      const options =
        type === 'array'
          ? { ...rest, ...itemsAsOptions(items as Record<string, unknown> | undefined) }
          : { ...rest, type };
      ApiProperty({
        ...(options as ApiPropertyOptions),
        ...extra,
        required: property.required,
      } as ApiPropertyOptions)(prototype, property.name);
    }
  };
}

/**
 * Swagger spells "an array of X" as X's type (and enum) plus `isArray`; any other keyword would
 * land on the array itself, so an item's own bounds stay with its validator.
 */
function itemsAsOptions(items: Record<string, unknown> | undefined): Record<string, unknown> {
  const { type = 'string', enum: values } = items ?? {};
  return values === undefined ? { type, isArray: true } : { type, enum: values, isArray: true };
}
