/**
 * Recipient patterns: `re:<regex>` or `/regex/flags` for regular expressions, otherwise a
 * case-insensitive glob where `*` matches any run and `?` one character. Globs are compiled
 * once so matching stays cheap on the hot path.
 */
export type Matcher = (value: string) => boolean;

export function compilePattern(pattern: string): Matcher {
  if (pattern === '*' || pattern === '') return () => true;
  let re: RegExp;
  const slashForm = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (pattern.startsWith('re:')) {
    re = new RegExp(pattern.slice(3), 'i');
  } else if (slashForm) {
    re = new RegExp(slashForm[1] ?? '', slashForm[2]);
  } else {
    const body = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 'i');
  }
  return (value) => re.test(value);
}

export function isValidPattern(pattern: string): boolean {
  try {
    compilePattern(pattern);
    return true;
  } catch {
    return false;
  }
}
