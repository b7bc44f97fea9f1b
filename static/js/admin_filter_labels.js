// Django's admin draws the filter box of a many-to-many selector (filter_horizontal) with a label
// whose only content is an icon <span aria-label="Type into this box to filter down the list...">.
// A span has no role that may carry a name, so that text names nothing and the filter box has no
// label (axe: aria-prohibited-attr). As an image, the icon names the label and so the box.
// Loaded with `defer`: this listener is added after SelectFilter2.js's, so it runs after the
// selector is drawn, in the same `load` event.
"use strict";
window.addEventListener("load", () => {
  for (const icon of document.querySelectorAll(".search-label-icon[aria-label]:not([role])")) {
    icon.setAttribute("role", "img");
  }
});
