// Node 20 lacks Map.groupBy / Object.groupBy (Node 21+); vitest 5's reporter calls them while
// printing a failure and would crash instead. Plain JS because it loads in vitest's main process
// (from the config) before anything can compile TypeScript, and again in each worker.
if (typeof Map.groupBy !== "function") {
  Map.groupBy = (items, key) => {
    const groups = new Map()
    let index = 0
    for (const item of items) {
      const k = key(item, index++)
      const group = groups.get(k)
      if (group) group.push(item)
      else groups.set(k, [item])
    }
    return groups
  }
}
if (typeof Object.groupBy !== "function") {
  Object.groupBy = (items, key) => Object.fromEntries(Map.groupBy(items, key))
}
