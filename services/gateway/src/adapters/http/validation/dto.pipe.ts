import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ParseCache, parseAs } from '@clocktower/contracts';

type DtoClass = new () => object;

/**
 * Parses a route's query or path parameters into the DTO class its handler declares, or throws
 * ValidationFailedError naming every bad field (answered 400 by ApiExceptionFilter). Unknown
 * parameters are refused by name: a misspelt filter must not silently mean "no filter".
 * Lean on purpose (no Nest ValidationPipe, no interceptor): it runs on every request.
 */
@Injectable()
export class DtoPipe implements PipeTransform {
  /** Query and path parameters only (ParseCache): a body may hold a secret (a password). */
  private readonly parsed = new ParseCache();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const cls = metadata.metatype;
    if (!cls || cls === Object || cls === String || cls === Number || cls === Array) return value;
    const input = value ?? {};
    const what = `${metadata.type} parameters`;
    const parse = () => parseAs(cls as DtoClass, input, what, { rejectUnknown: true });
    if (metadata.type !== 'query' && metadata.type !== 'param') return parse();
    // Query and path parameters are strings (or lists of them): their JSON names the input.
    return this.parsed.get(cls, `${metadata.type}\u0000${JSON.stringify(input)}`, parse);
  }
}
