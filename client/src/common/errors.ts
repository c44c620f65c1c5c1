/** Small helpers for errors that cross module boundaries. */

/** A readable message of any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Raised when a palette command needs the language server and it is not running. */
export class ServerNotRunningError extends Error {
  constructor(reason = 'the FastAPI Architect language server is not running') {
    super(reason);
    this.name = 'ServerNotRunningError';
  }
}

/** True for a JSON-RPC error answered by the server (it has a numeric `code`). */
export function isResponseError(error: unknown): error is Error & { code: number } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number';
}
