/** What the gateway reads of an HTTP request's headers (Express's shape), wherever it reads them. */
export interface RequestWithHeaders {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}
