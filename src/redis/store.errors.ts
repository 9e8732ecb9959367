/** Redis answered with an error (a bug or a misconfiguration, not a passing fault). */
export class StoreCommandError extends Error {
  constructor(
    readonly operation: string,
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`redis ${operation} on the ${path} path failed: ${String(cause)}`);
    this.name = this.constructor.name;
  }
}
