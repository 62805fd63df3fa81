/*
 * Which case and requirement a reply is about, from the email it answers. Every email the
 * product sends has a Message-ID derived from its key, and the key names what it was about.
 */

/** The Message-IDs a reply names as its parents, nearest first: In-Reply-To, then References from the end. */
export function parentMessageIds(inReplyTo: string | undefined, references: string | string[] | undefined): string[] {
  const refs = (Array.isArray(references) ? references.join(' ') : (references ?? '')).match(/<[^<>\s]+>/g) ?? [];
  const direct = inReplyTo?.match(/<[^<>\s]+>/g) ?? [];
  return [...new Set([...direct, ...refs.reverse()])];
}

/** A case reference in a subject line ("… — our case reference case-summit-sm-2026-10431"). */
export function caseReferencesIn(subject: string): string[] {
  return [...new Set(subject.match(/\bcase-[a-z0-9][a-z0-9-]*[a-z0-9]\b/gi) ?? [])].map((s) => s.toLowerCase());
}

export type Answered = { requirementKey: string } | { nigo: true } | { documentId: string } | Record<string, never>;

/**
 * What the answered email asked for, from its key without the case prefix: a requirement's
 * own emails name it, a reminder about one requirement names it, NIGO notices ask for NIGO
 * items, a rejection names the document rejected. Anything else names nothing.
 */
export function answeredBy(key: string): Answered {
  let m = /^requirement:(.+):[a-z_]+(?:#\d+|:\d+)$/.exec(key);
  if (m) return { requirementKey: m[1]! };
  m = /^(?:vendor-follow-up):(.+):\d+$/.exec(key) ?? /^(?:order|vendor-cancellation):(.+)$/.exec(key);
  if (m) return { requirementKey: m[1]! };
  m = /^reminder:([^+]+):\d+$/.exec(key);
  if (m) return { requirementKey: m[1]! };
  if (/^nigo:/.test(key)) return { nigo: true };
  m = /^document:(doc-[0-9a-f]+):rejected$/.exec(key);
  if (m) return { documentId: m[1]! };
  return {};
}
