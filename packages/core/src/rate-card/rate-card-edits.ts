/**
 * Pure edits of a rate card's lists: replace the entry with the same id, or append.
 * The engine applies them to the card as read and stores the result with a revision
 * check, retrying on a concurrent edit, so two edits of different entries both land.
 */
export function upsertById<T extends { id: string }>(list: T[], entry: T): T[] {
  const index = list.findIndex((item) => item.id === entry.id);
  if (index === -1) return [...list, entry];
  return list.map((item, i) => (i === index ? entry : item));
}

export function removeById<T extends { id: string }>(list: T[], id: string): T[] {
  return list.filter((item) => item.id !== id);
}
