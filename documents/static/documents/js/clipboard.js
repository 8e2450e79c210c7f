/**
 * Copying text to the clipboard. The Clipboard API needs a secure context (HTTPS, or
 * localhost) and may be refused; either way the caller is told, so it can say what the
 * reader can do instead rather than fail silently.
 */

/** Copy `text`; true when the clipboard took it. */
export async function copyText(text) {
  if (!navigator.clipboard || !window.isSecureContext) return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
