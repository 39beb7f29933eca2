/** Errors of the filter compiler: a sentence for the user plus the character range it is about. */

export interface FilterError {
  message: string;
  /** Character range of the problem in the expression (start inclusive, end exclusive). */
  start: number;
  end: number;
}

/**
 * Thrown inside the parser and the checker only, and always caught by the public entry points
 * (`parseFilter`, `compileFilter`, `validateFilter`), which never throw.
 */
export class FilterProblem extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
    this.name = 'FilterProblem';
  }

  toError(): FilterError {
    return { message: this.message, start: this.start, end: this.end };
  }
}

export function fail(message: string, span: { start: number; end: number }): never {
  throw new FilterProblem(message, span.start, span.end);
}

/** Shortens a piece of user text for quoting it in a message. */
export function quote(text: string, max = 40): string {
  const t = text.length > max ? text.slice(0, max - 1) + '…' : text;
  return `"${t}"`;
}
