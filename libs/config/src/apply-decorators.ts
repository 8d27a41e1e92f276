/** Several property decorators as one (contracts-level code avoids NestJS's applyDecorators). */
export function applyDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorator of decorators) decorator(target, property);
  };
}
