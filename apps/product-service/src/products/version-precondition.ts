import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/**
 * An `If-Match` precondition on the product's version. The ETag of a product is its version,
 * `"3"`; the header may carry that form, the bare number `3`, a list, or `*` (any version).
 * A tag that is not a version of ours never matches.
 */
export class VersionPrecondition {
  private constructor(private readonly versions: number[] | 'any') {}

  static parse(header: string | undefined): VersionPrecondition | undefined {
    if (header === undefined || header.trim() === '') return undefined;
    const tags = header.split(',').map((tag) => tag.trim());
    if (tags.includes('*')) return new VersionPrecondition('any');
    const versions = tags
      .map((tag) => /^"?([1-9]\d{0,14})"?$/.exec(tag)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number);
    return new VersionPrecondition(versions);
  }

  matches(version: number): boolean {
    return this.versions === 'any' || this.versions.includes(version);
  }
}

export const etagOf = (version: number) => `"${version}"`;

/** The request's `If-Match` precondition, if any. */
export const IfMatch = createParamDecorator(
  (_: unknown, context: ExecutionContext): VersionPrecondition | undefined => {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const header = request.headers['if-match'];
    return VersionPrecondition.parse(Array.isArray(header) ? header.join(',') : header);
  },
);
