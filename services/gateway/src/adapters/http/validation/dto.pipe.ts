import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { parseAs } from '@clocktower/contracts';

/**
 * Parses a route's query or path parameters into the DTO class its handler declares, or throws
 * ValidationFailedError naming every bad field (answered 400 by ApiExceptionFilter). Unknown
 * parameters are refused by name: a misspelt filter must not silently mean "no filter".
 * Lean on purpose (no Nest ValidationPipe, no interceptor): it runs on every request.
 */
@Injectable()
export class DtoPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const cls = metadata.metatype;
    if (!cls || cls === Object || cls === String || cls === Number || cls === Array) return value;
    return parseAs(cls as new () => object, value ?? {}, `${metadata.type} parameters`, {
      rejectUnknown: true,
    });
  }
}
