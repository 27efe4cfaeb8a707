// Building and patching the dashboard's DOM without innerHTML: rows are built as detached elements, then the live
// tree is patched to match them. Unchanged nodes are left alone, so a selection, focus, or a button under a
// pressed mouse survives every refresh; rows carrying data-key are matched by key, wherever they moved.

const SVG_NS = "http://www.w3.org/2000/svg";

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  return append(el, children);
}

/** An HTML element: h("td", {class: "num"}, "3"). Strings become text nodes (never parsed as markup). */
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);

/** An SVG element, same form. */
export const s = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

/** Stored text isolated in a <bdi>: a right-to-left run in one field must not reorder the fields beside it. */
export const iso = (text, attrs) => h("bdi", attrs, text ?? "");

const keyOf = (node) => (node.nodeType === 1 ? node.getAttribute("data-key") : null);
const sameKind = (a, b) => a.nodeType === b.nodeType && (a.nodeType !== 1 || a.namespaceURI === b.namespaceURI
  && a.tagName === b.tagName);

function patchAttributes(live, fresh) {
  for (const { name, value } of [...fresh.attributes]) {
    if (live.getAttribute(name) !== value) live.setAttribute(name, value);
  }
  for (const { name } of [...live.attributes]) {
    if (!fresh.hasAttribute(name)) live.removeAttribute(name);
  }
}

/** Make live's children look like fresh's children (fresh is consumed): keyed by data-key, else by position. */
export function patchChildren(live, fresh) {
  const keyed = new Map();
  for (const child of live.childNodes) {
    const key = keyOf(child);
    if (key != null) keyed.set(key, child);
  }
  let cursor = live.firstChild;
  for (const next of [...fresh.childNodes]) {
    const key = keyOf(next);
    let match = null;
    if (key != null) {
      match = keyed.get(key) || null;
      if (match && !sameKind(match, next)) match = null;
      keyed.delete(key);
    } else if (cursor && keyOf(cursor) == null && sameKind(cursor, next)) {
      match = cursor;
    }
    if (!match) {
      live.insertBefore(next, cursor);
      continue;
    }
    if (match === cursor) cursor = cursor.nextSibling;
    else live.insertBefore(match, cursor);
    if (match.nodeType === 1) patch(match, next);
    else if (match.nodeValue !== next.nodeValue) match.nodeValue = next.nodeValue;
  }
  while (cursor) {
    const next = cursor.nextSibling;
    live.removeChild(cursor);
    cursor = next;
  }
}

/** Patch one element to match another of the same tag: attributes, then children. */
export function patch(live, fresh) {
  patchAttributes(live, fresh);
  patchChildren(live, fresh);
}

/** Replace what a container shows with these nodes, touching only what differs. */
export function render(container, ...children) {
  patchChildren(container, append(document.createDocumentFragment(), children));
}

/** Set an element's text only when it differs (a selection inside it survives). */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
