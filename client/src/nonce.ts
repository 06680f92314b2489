const PLACEHOLDER = "__CSP_NONCE__";

/**
 * The per-request CSP nonce the server wrote into <meta name="csp-nonce">. Mantine puts it on the
 * <style> tags it injects, which the policy (style-src 'self' 'nonce-…') would block otherwise.
 * Undefined in development, where Vite serves the placeholder and no CSP applies.
 */
export function readStyleNonce(): string | undefined {
  const content = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
  if (!content || content === PLACEHOLDER) {
    return undefined;
  }
  return content;
}
