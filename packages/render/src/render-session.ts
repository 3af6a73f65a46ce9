import type { LiquidEngine } from './liquid-engine';
import type { RenderLimits } from './types';

/** State shared by the fields of one message render. */
export class RenderSession {
  /** Missing variables across every field, in order of first use. */
  readonly missing = new Set<string>();

  constructor(
    readonly scope: object,
    readonly limits: RenderLimits,
  ) {}

  render(engine: LiquidEngine, source: string, field: string): string {
    return engine.render(source, this.scope, field, this.missing, this.limits);
  }

  get hasMissing(): boolean {
    return this.missing.size > 0;
  }
}
