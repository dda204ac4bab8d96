/** Small DOM helpers for the page: typed look-ups by id and element construction. */

/**
 * The element with this id, of the given type; a missing element is a bug of `index.html`.
 *
 * @example
 * ```ts
 * const button = byId("get-token", HTMLButtonElement)
 * ```
 */
export const byId = <T extends HTMLElement>(id: string, type: new () => T): T => {
  const element = document.getElementById(id)
  if (!(element instanceof type)) throw new Error(`index.html has no ${type.name} #${id}`)
  return element
}

/**
 * A new element with a class and text.
 *
 * @example
 * ```ts
 * make("span", "muted", "none")
 * ```
 */
export const make = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text = ""
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag)
  if (className !== "") element.className = className
  element.textContent = text
  return element
}

/**
 * Fills a `<dl>` with key/value rows (each row a `<div>` holding one `<dt>` and one `<dd>`).
 *
 * @example
 * ```ts
 * fillPairs(list, [["alg", "RS256"]])
 * ```
 */
export const fillPairs = (list: HTMLElement, rows: ReadonlyArray<readonly [string, string]>): void => {
  list.replaceChildren(
    ...rows.map(([key, value]) => {
      const row = make("div", "")
      row.append(make("dt", "", key), make("dd", "", value))
      return row
    })
  )
}
