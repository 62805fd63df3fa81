/* Kept apart from the rules (and their zod config schemas) because workflow code needs it too. */

const TITLES = new Set(['dr', 'doctor', 'md', 'do']);

/** "Dr. Alan Grant" and "Alan Grant, M.D." are the same physician: one APS, not two. */
export function physicianSlug(name: string): string {
  const words = name.toLowerCase().replace(/\./g, '').split(/[^a-z0-9]+/).filter(Boolean);
  const named = words.filter((w) => !TITLES.has(w));
  return (named.length > 0 ? named : words).join('-');
}
