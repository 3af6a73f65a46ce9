export type TemplateRenderErrorCode =
  /** The template does not parse; `field`, `line` and `column` locate the problem. */
  | 'template_syntax'
  /** The template lacks a field its channel needs (validateTemplate would have said so). */
  | 'template_invalid'
  /** Rendering took longer than `limits.renderTimeMs`. */
  | 'render_time_limit'
  /** Rendering allocated more than `limits.memory` (huge loops, ranges, padding...). */
  | 'render_memory_limit'
  /** A rendered field is longer than `limits.outputLength`. */
  | 'render_output_too_large'
  /** The rendered message cannot be sent as is (empty SMS body, non-wss stream URL...). */
  | 'render_invalid_output'
  /** A render option is unusable (malformed unsubscribe URL...). */
  | 'invalid_option'
  /** Anything else a filter threw at render time. */
  | 'render_failed';

/**
 * A render-time failure that is not a missing variable. Missing variables are an expected,
 * per-lead outcome (`status: "skipped"`); these errors mean the template or the options are
 * broken and every lead would fail the same way.
 */
export class TemplateRenderError extends Error {
  override readonly name = 'TemplateRenderError';

  constructor(
    readonly code: TemplateRenderErrorCode,
    message: string,
    readonly field?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}
