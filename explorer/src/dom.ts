// A small element builder: h("p", { class: "x", "data-testid": "y" }, "text", child). No framework.
export type Child = Node | string | number | false | null | undefined | Child[];
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children.flat(Infinity as 1) as Child[]) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : (c as Node));
  }
}

/** A definition list of label → value rows. */
export function fields(testid: string, rows: [string, Child, string?][]): HTMLDListElement {
  return h("dl", { class: "fields", "data-testid": testid }, rows.map(([k, v, id]) => [h("dt", {}, k), h("dd", id ? { "data-testid": id } : {}, v)]));
}

/** A hash or address: shown in full, monospace, breakable. */
export const mono = (text: string, testid?: string): HTMLElement => h("code", { class: "mono", ...(testid ? { "data-testid": testid } : {}) }, text);
