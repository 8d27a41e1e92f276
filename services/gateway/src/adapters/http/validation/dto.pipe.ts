import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { parseAs } from '@clocktower/contracts';

type DtoClass = new () => object;

/**
 * Parsed parameters by DTO class and input, so that a query asked again (a dashboard polling the
 * same page; most API traffic) is not transformed and validated again: class-transformer and
 * class-validator cost about as much as the rest of the gateway's own work per request. Parsing is
 * a pure function of the input, so a hit is exactly what parsing would give; the instance is
 * frozen because requests share it. Only query and path parameters: a body may hold a secret (a
 * password), which must not stay in memory as a key. Bounded: cleared whole when full.
 */
const MAX_CACHED_PER_CLASS = 1_000;
const MAX_KEY_LENGTH = 2_000;

/**
 * Parses a route's query or path parameters into the DTO class its handler declares, or throws
 * ValidationFailedError naming every bad field (answered 400 by ApiExceptionFilter). Unknown
 * parameters are refused by name: a misspelt filter must not silently mean "no filter".
 * Lean on purpose (no Nest ValidationPipe, no interceptor): it runs on every request.
 */
@Injectable()
export class DtoPipe implements PipeTransform {
  private readonly parsed = new WeakMap<DtoClass, Map<string, object>>();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const cls = metadata.metatype;
    if (!cls || cls === Object || cls === String || cls === Number || cls === Array) return value;
    const input = value ?? {};
    const what = `${metadata.type} parameters`;
    if (metadata.type !== 'query' && metadata.type !== 'param') {
      return parseAs(cls as DtoClass, input, what, { rejectUnknown: true });
    }
    // Query and path parameters are strings (or lists of them): their JSON names the input.
    const key = `${metadata.type}\u0000${JSON.stringify(input)}`;
    if (key.length > MAX_KEY_LENGTH) {
      return parseAs(cls as DtoClass, input, what, { rejectUnknown: true });
    }
    let cache = this.parsed.get(cls as DtoClass);
    const hit = cache?.get(key);
    if (hit) return hit;
    const instance = Object.freeze(parseAs(cls as DtoClass, input, what, { rejectUnknown: true }));
    if (!cache) this.parsed.set(cls as DtoClass, (cache = new Map<string, object>()));
    if (cache.size >= MAX_CACHED_PER_CLASS) cache.clear();
    cache.set(key, instance);
    return instance;
  }
}
