/** The one error type every transport rejects with. Browser-safe. */
import type { ApiErrorCode, ApiErrorInfo } from './types.js';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }

  toInfo(): ApiErrorInfo {
    return { code: this.code, message: this.message };
  }

  static from(info: ApiErrorInfo): ApiError {
    return new ApiError(info.code, info.message);
  }
}

const CODES = new Set<ApiErrorCode>([
  'bad-request', 'no-capture', 'not-found', 'not-a-capture', 'io', 'bad-filter', 'capture-permission',
  'no-such-interface', 'interface-gone', 'bad-capture-filter', 'capture-unavailable', 'busy', 'unsaved',
  'cancelled', 'forbidden', 'internal',
]);

/** Any thrown value as an error the other side can show (internal details stay generic). */
export function toErrorInfo(err: unknown): ApiErrorInfo {
  if (err instanceof ApiError) return err.toInfo();
  if (err && typeof err === 'object' && 'code' in err && 'message' in err &&
      CODES.has((err as ApiErrorInfo).code) && typeof (err as ApiErrorInfo).message === 'string') {
    return { code: (err as ApiErrorInfo).code, message: (err as ApiErrorInfo).message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `internal error: ${message}` };
}

export function isApiErrorInfo(v: unknown): v is ApiErrorInfo {
  return !!v && typeof v === 'object' && CODES.has((v as ApiErrorInfo).code) &&
    typeof (v as ApiErrorInfo).message === 'string';
}
