// shared/dataverse/dataverseError.ts: a request the service refused for good, with its own error.

/** The service's error document: `{"error":{"code":"0x...","message":"..."}}` (code sometimes empty). */
export interface ServiceError {
  status: number;
  code: string;
  message: string;
}

export class DataverseError extends Error implements ServiceError {
  readonly status: number;
  readonly code: string;
  /** True when trying again later may succeed (throttling, 5xx, network): the caller re-drives. */
  readonly retryable: boolean;
  /** The service's own message, without the status and code prefix of `message`. */
  readonly serviceMessage: string;

  constructor(error: ServiceError, retryable: boolean) {
    super(`Dataverse ${error.status}${error.code ? ` ${error.code}` : ''}: ${error.message}`);
    this.name = 'DataverseError';
    this.status = error.status;
    this.code = error.code;
    this.retryable = retryable;
    this.serviceMessage = error.message;
  }

  toServiceError(): ServiceError {
    return { status: this.status, code: this.code, message: this.serviceMessage };
  }
}

/** Reads the service's error from a response body; falls back to the status text. */
export function parseServiceError(status: number, bodyText: string, statusText = ''): ServiceError {
  try {
    const doc = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown } };
    if (doc && typeof doc === 'object' && doc.error && typeof doc.error === 'object') {
      return {
        status,
        code: typeof doc.error.code === 'string' ? doc.error.code : '',
        message: typeof doc.error.message === 'string' ? doc.error.message : statusText,
      };
    }
  } catch {
    // Not JSON (a gateway page, an empty 401): keep the status text.
  }
  return { status, code: '', message: statusText || bodyText.slice(0, 200) || `HTTP ${status}` };
}
