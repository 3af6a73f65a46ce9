import {
  Context,
  Liquid,
  LiquidError,
  Output,
  ParseError,
  Parser,
  Tag,
  TypeGuards,
  Value,
  evalToken,
  toValue,
  toValueSync,
} from 'liquidjs';
import type { Emitter, LiquidOptions, TagToken, Template, Token, TopLevelToken } from 'liquidjs';
import { TemplateRenderError } from './errors';
import { LruCache } from './lru-cache';
import type { RenderLimits, TemplateErrorCode } from './types';

/** Longest template source accepted, in UTF-16 code units (liquidjs parseLimit). */
export const MAX_TEMPLATE_LENGTH = 256 * 1024;

export const DEFAULT_RENDER_LIMITS: Readonly<RenderLimits> = Object.freeze({
  renderTimeMs: 250,
  memory: 4_000_000,
  outputLength: 1_000_000,
});

const CACHE_CAPACITY = 2000;

/**
 * Subclassed so a render carries the set of missing variables with it: several renders can be in
 * flight at once (one per message), so a module-level collector would not be safe.
 */
class CollectingContext extends Context {
  constructor(
    readonly missing: Set<string>,
    scope: object,
    liquid: Liquid,
    limits: RenderLimits,
  ) {
    super(scope, liquid.options, { renderLimit: limits.renderTimeMs, memoryLimit: limits.memory }, { liquid });
  }
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function stringify(value: unknown): string {
  const v = toValue(value) as unknown;
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(stringify).join('');
  return String(v);
}

function* reportBlankVariables(tokens: Iterable<Token | undefined>, ctx: Context, missing: Set<string>): Generator<unknown, void, unknown> {
  for (const token of tokens) {
    if (!TypeGuards.isPropertyAccessToken(token)) continue;
    const value = yield evalToken(token, ctx);
    if (isBlank(toValue(value))) missing.add(token.getText());
  }
}

function filterArgTokens(args: Value['filters'][number]['args']): Array<Token | undefined> {
  return args.map((arg) => (Array.isArray(arg) ? arg[1] : arg));
}

/**
 * Evaluates `{{ expr | filters }}` like liquidjs' Value#value, and records blank variables.
 *
 * liquidjs' strictVariables cannot express our rule: it throws even when a `default` filter
 * follows, ignores null and "", and also fires inside `{% if %}` conditions. Here only outputs
 * are checked, and a variable is "missing" when it is undefined, null or "" and no later
 * `default` filter covers it. Variables in the arguments of the last `default` are only
 * reported when the output is still blank, so `| default: ""` stays an explicit "may be empty".
 */
function* evaluateGuarded(value: Value, ctx: Context): Generator<unknown, unknown, unknown> {
  const missing = ctx instanceof CollectingContext ? ctx.missing : undefined;
  const filters = value.filters;
  let lastDefault = -1;
  for (let i = filters.length - 1; i >= 0; i--) {
    if (filters[i].name === 'default') {
      lastDefault = i;
      break;
    }
  }
  let result: unknown = yield value.initial.evaluate(ctx, false);
  if (missing && lastDefault < 0 && isBlank(toValue(result))) {
    yield* reportBlankVariables(value.initial.postfix, ctx, missing);
  }
  for (let i = 0; i < filters.length; i++) {
    const filter = filters[i];
    if (missing && i > lastDefault && filter.args.length > 0) {
      yield* reportBlankVariables(filterArgTokens(filter.args), ctx, missing);
    }
    result = yield filter.render(result, ctx);
    if (missing && i === lastDefault && isBlank(toValue(result))) {
      yield* reportBlankVariables(filterArgTokens(filter.args), ctx, missing);
    }
  }
  return result;
}

class GuardedOutput extends Output {
  override *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    emitter.write(toValue(yield* evaluateGuarded(this.value, ctx)));
  }
}

/** `{% echo %}` (also used inside `{% liquid %}`) must follow the same missing-variable rule. */
class GuardedEchoTag extends Tag {
  private readonly value: Value | undefined;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    this.tokenizer.skipBlank();
    this.value = this.tokenizer.end() ? undefined : new Value(this.tokenizer.readFilteredValue(), liquid);
  }

  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    if (!this.value) return;
    let result = toValue(yield* evaluateGuarded(this.value, ctx)) as unknown;
    const outputEscape = this.liquid.options.outputEscape;
    if (outputEscape && !this.value.filters[this.value.filters.length - 1]?.raw) {
      result = yield outputEscape.call({ context: ctx, token: this.token, liquid: this.liquid }, result);
    }
    emitter.write(result);
  }

  *arguments(): Generator<Value, void, unknown> {
    if (this.value) yield this.value;
  }
}

export class ForbiddenTagError extends Error {
  constructor(readonly tag: string) {
    super(`{% ${tag} %} is not allowed: templates cannot load other templates or files`);
  }
}

/** include/render/layout would read files (or the `templates` map); templates are self-contained. */
class ForbiddenTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    throw new ForbiddenTagError(token.name);
  }

  render(): void {}
}

/** Swaps liquidjs' Output for GuardedOutput; a subclass keeps the change local to our engines. */
class GuardedParser extends Parser {
  constructor(private readonly engineLiquid: Liquid) {
    super(engineLiquid);
  }

  override parseToken(token: TopLevelToken, remainTokens: TopLevelToken[]): ReturnType<Parser['parseToken']> {
    if (!TypeGuards.isOutputToken(token)) return super.parseToken(token, remainTokens);
    try {
      return new GuardedOutput(token, this.engineLiquid);
    } catch (err) {
      if (LiquidError.is(err)) throw err;
      throw new ParseError(err instanceof Error ? err : new Error(String(err)), token);
    }
  }
}

class BoundedEmitter implements Emitter {
  buffer = '';

  constructor(private readonly maxLength: number) {}

  write(html: unknown): void {
    this.buffer += stringify(html);
    if (this.buffer.length > this.maxLength) throw new OutputTooLargeError(this.maxLength);
  }
}

class OutputTooLargeError extends Error {
  constructor(readonly maxLength: number) {
    super(`rendered output exceeds ${maxLength} characters`);
  }
}

export interface SourcePosition {
  line: number;
  column: number;
}

export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export interface DescribedLiquidError extends SourcePosition {
  code: TemplateErrorCode;
  message: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Turns a liquidjs parse failure into a code, a clean message and a position inside `source`. */
export function describeParseError(err: unknown, source: string): DescribedLiquidError {
  if (!LiquidError.is(err)) {
    const message = err instanceof Error ? err.message : String(err);
    if (/^parse length limit exceeded/.test(message)) {
      return {
        code: 'template_too_large',
        message: `template is longer than ${MAX_TEMPLATE_LENGTH} characters`,
        line: 1,
        column: 1,
      };
    }
    return { code: 'template_syntax', message, line: 1, column: 1 };
  }
  const liquidError = err as LiquidError & { originalError?: unknown; token: Token };
  const original = liquidError.originalError;
  const message = (original instanceof Error ? original.message : liquidError.message).replace(/, (?:file:[^,]*, )?line:\d+, col:\d+$/, '');
  const token = liquidError.token;
  let offset = token ? token.begin : 0;
  let code: TemplateErrorCode = 'template_syntax';
  const undefinedFilter = /^undefined filter: (.+)$/.exec(message);
  if (original instanceof ForbiddenTagError) {
    code = 'template_forbidden_tag';
  } else if (undefinedFilter) {
    code = 'template_unknown_filter';
    if (token) {
      // Point at the filter name rather than at the opening `{{`.
      const pattern = new RegExp(`\\|\\s*(${escapeRegExp(undefinedFilter[1])})(?![\\w-])`);
      const match = pattern.exec(source.slice(token.begin, token.end));
      if (match) offset = token.begin + match.index + match[0].length - match[1].length;
    }
  } else if (/^tag .+ not found$/.test(message)) {
    code = 'template_unknown_tag';
  }
  return { code, message, ...positionAt(source, offset) };
}

/**
 * One liquidjs instance plus a parse cache. Two exist because outputEscape is an engine-wide
 * option: the email html field escapes every output, every other field renders raw text.
 */
export class LiquidEngine {
  readonly liquid: Liquid;
  private readonly cache = new LruCache<string, Template[]>(CACHE_CAPACITY);

  constructor(readonly escapeHtml: boolean) {
    const options: LiquidOptions = {
      strictFilters: true,
      strictVariables: false,
      ownPropertyOnly: true,
      // An in-memory, empty template map keeps liquidjs away from the file system even if a
      // file-loading code path were reached.
      templates: {},
      relativeReference: false,
      parseLimit: MAX_TEMPLATE_LENGTH,
      renderLimit: DEFAULT_RENDER_LIMITS.renderTimeMs,
      memoryLimit: DEFAULT_RENDER_LIMITS.memory,
      ...(escapeHtml ? { outputEscape: 'escape' as const } : {}),
    };
    this.liquid = new Liquid(options);
    this.liquid.registerTag('echo', GuardedEchoTag);
    for (const name of ['include', 'render', 'layout']) this.liquid.registerTag(name, ForbiddenTag);
  }

  /** Parses without the cache; throws liquidjs errors (see describeParseError). */
  parseUncached(source: string): Template[] {
    return new GuardedParser(this.liquid).parse(source);
  }

  /** Parses through the LRU cache; throws liquidjs errors (see describeParseError). */
  parseCached(source: string): Template[] {
    let templates = this.cache.get(source);
    if (!templates) {
      templates = this.parseUncached(source);
      this.cache.set(source, templates);
    }
    return templates;
  }

  /** Parses through the LRU cache; throws TemplateRenderError("template_syntax") on bad input. */
  parse(source: string, field: string): Template[] {
    try {
      return this.parseCached(source);
    } catch (err) {
      const described = describeParseError(err, source);
      throw new TemplateRenderError(
        'template_syntax',
        `${field}: ${described.message} (line ${described.line}, column ${described.column})`,
        field,
        described.line,
        described.column,
      );
    }
  }

  /** Renders one field; blank variables not covered by `default` are added to `missing`. */
  render(source: string, scope: object, field: string, missing: Set<string>, limits: RenderLimits): string {
    const templates = this.parse(source, field);
    const ctx = new CollectingContext(missing, scope, this.liquid, limits);
    const emitter = new BoundedEmitter(limits.outputLength);
    try {
      // Our engines register no async filter or tag, so the synchronous driver is enough.
      toValueSync(this.liquid.renderer.renderTemplates(templates, ctx, emitter));
    } catch (err) {
      throw toRenderError(err, source, field);
    }
    return emitter.buffer;
  }

  clearCache(): void {
    this.cache.clear();
  }
}

function toRenderError(err: unknown, source: string, field: string): TemplateRenderError {
  const liquidError = LiquidError.is(err) ? (err as LiquidError & { originalError?: unknown; token?: Token }) : undefined;
  const original = liquidError?.originalError ?? err;
  const position = liquidError?.token ? positionAt(source, liquidError.token.begin) : undefined;
  const baseMessage = (original instanceof Error ? original.message : String(original)).replace(/, line:\d+, col:\d+$/, '');
  const where = position ? ` (line ${position.line}, column ${position.column})` : '';
  let code: TemplateRenderError['code'] = 'render_failed';
  if (original instanceof OutputTooLargeError) code = 'render_output_too_large';
  else if (/^template render limit exceeded/.test(baseMessage)) code = 'render_time_limit';
  else if (/^memory alloc limit exceeded/.test(baseMessage)) code = 'render_memory_limit';
  return new TemplateRenderError(code, `${field}: ${baseMessage}${where}`, field, position?.line, position?.column);
}

/** Email html: every output is HTML-escaped unless its last filter is `raw`. */
export const htmlEngine = new LiquidEngine(true);
/** Subject, text, SMS, WhatsApp and voice fields: outputs are inserted verbatim. */
export const textEngine = new LiquidEngine(false);

export function resolveLimits(overrides: Partial<RenderLimits> | undefined): RenderLimits {
  return overrides ? { ...DEFAULT_RENDER_LIMITS, ...overrides } : DEFAULT_RENDER_LIMITS;
}
