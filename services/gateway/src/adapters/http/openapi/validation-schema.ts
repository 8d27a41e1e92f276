import { getMetadataStorage } from 'class-validator';
import type { SchemaObject } from '@nestjs/swagger';

/**
 * OpenAPI schemas read from class-validator's metadata, so the document says exactly what the
 * validators enforce: one source (the decorators), no hand-kept copy that drifts from it.
 */

interface Rule {
  readonly target: unknown;
  /** class-validator's ValidationTypes: customValidation, conditionalValidation, … */
  readonly type: string;
  readonly name?: string;
  readonly propertyName: string;
  readonly constraints: readonly unknown[] | undefined;
  readonly each: boolean;
}

export interface PropertySchema {
  readonly name: string;
  /** False when the property is optional (`@IsOptional()`). */
  readonly required: boolean;
  /** Null passes (`@IsOptional()` or `@ValidateIf(v !== null)` on a property that is always sent). */
  readonly nullable: boolean;
  readonly schema: SchemaObject;
}

type Class = abstract new (...args: never[]) => unknown;

function rulesOf(cls: Class): Rule[] {
  const rules = getMetadataStorage().getTargetValidationMetadatas(
    cls,
    '',
    true,
    false,
  ) as unknown as Rule[];
  // Base class first, then in declaration order: the order a reader of the class sees.
  const depth = (target: unknown): number => {
    let n = 0;
    for (let p: unknown = target; p; p = Object.getPrototypeOf(p) as unknown) n++;
    return n;
  };
  return [...rules].sort((a, b) => depth(a.target) - depth(b.target));
}

function apply(rule: Rule, schema: SchemaObject): void {
  const first = rule.constraints?.[0];
  switch (rule.name) {
    case 'isString':
      schema.type = 'string';
      break;
    case 'isNotEmpty':
      if (schema.type === undefined || schema.type === 'string') schema.minLength ??= 1;
      break;
    case 'isInt':
      schema.type = 'integer';
      break;
    case 'isNumber':
      schema.type = 'number';
      break;
    case 'isBoolean':
      schema.type = 'boolean';
      break;
    case 'isObject':
      schema.type = 'object';
      break;
    case 'isIn':
      if (Array.isArray(first)) schema.enum = [...(first as unknown[])];
      break;
    case 'isIso8601':
      schema.type = 'string';
      schema.format = 'date-time';
      break;
    case 'matches':
      if (first instanceof RegExp) schema.pattern = first.source;
      else if (typeof first === 'string') schema.pattern = first;
      break;
    case 'min':
      if (typeof first === 'number') schema.minimum = first;
      break;
    case 'max':
      if (typeof first === 'number') schema.maximum = first;
      break;
    case 'minLength':
      if (typeof first === 'number') schema.minLength = first;
      break;
    case 'maxLength':
      if (typeof first === 'number') schema.maxLength = first;
      break;
  }
}

function applyToList(rule: Rule, list: SchemaObject): boolean {
  const first = rule.constraints?.[0];
  switch (rule.name) {
    case 'isArray':
      return true;
    case 'arrayMaxSize':
      if (typeof first === 'number') list.maxItems = first;
      return true;
    case 'arrayMinSize':
      if (typeof first === 'number') list.minItems = first;
      return true;
    case 'arrayNotEmpty':
      list.minItems = 1;
      return true;
    default:
      return false;
  }
}

/** Every validated property of `cls` (and its bases) with the schema its validators imply. */
export function propertySchemasOf(cls: Class): PropertySchema[] {
  const byName = new Map<string, Rule[]>();
  for (const rule of rulesOf(cls)) {
    const rules = byName.get(rule.propertyName) ?? [];
    rules.push(rule);
    byName.set(rule.propertyName, rules);
  }
  const out: PropertySchema[] = [];
  for (const [name, rules] of byName) {
    const list: SchemaObject = { type: 'array' };
    const value: SchemaObject = {};
    let isList = false;
    let optional = false;
    let nullable = false;
    for (const rule of rules) {
      if (rule.type === 'conditionalValidation') {
        optional ||= rule.name === 'isOptional';
        nullable = true;
      } else if (rule.type === 'nestedValidation') {
        const nested = nestedClassOf(cls, name);
        if (nested) Object.assign(value, objectSchemaOf(nested));
      } else if (!rule.each && applyToList(rule, list)) {
        isList = true;
      } else {
        apply(rule, value);
      }
    }
    const schema = isList ? { ...list, items: value } : value;
    out.push({ name, required: !optional, nullable, schema });
  }
  return out;
}

function nestedClassOf(cls: Class, property: string): Class | undefined {
  const type: unknown = Reflect.getMetadata('design:type', cls.prototype as object, property);
  return typeof type === 'function' && type !== Object && type !== Array
    ? (type as Class)
    : undefined;
}

/**
 * A response model's schema: every property present, null where the validators let null through
 * (a JobRecord's `startTime` before the job starts).
 */
export function objectSchemaOf(cls: Class): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  for (const property of propertySchemasOf(cls)) {
    properties[property.name] = property.nullable
      ? { ...property.schema, nullable: true }
      : property.schema;
    required.push(property.name);
  }
  return { type: 'object', properties, required };
}
