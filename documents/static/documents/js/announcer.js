/**
 * Announcements: a short message in a page's live region (role="status"), for screen
 * readers and sighted readers alike, cleared after a while so a stale one is not read
 * out later.
 *
 * The region is emptied first and filled on the next frame, so a message repeated word
 * for word is announced again. Every module that speaks into a region shares its one
 * timer: a later message replaces an earlier one and is not cut short by its clearing.
 */

const timers = new WeakMap();

/** A function that announces a message in `region` for `forMs` milliseconds; a no-op without one. */
export function announcer(region, forMs) {
  return (message) => {
    if (!region) return;
    window.clearTimeout(timers.get(region));
    region.textContent = "";
    window.requestAnimationFrame(() => {
      region.textContent = message;
    });
    timers.set(
      region,
      window.setTimeout(() => {
        region.textContent = "";
      }, forMs),
    );
  };
}
