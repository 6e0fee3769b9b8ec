/** Key of the htpasswd file in the Secrets that carry one (the registry's, each credential's). */
export const HTPASSWD_KEY = "htpasswd";

// What the registry's htpasswd check accepts: bcrypt only (golang.org/x/crypto/bcrypt), one
// `user:hash` per line; a user name cannot hold ':' and the hash is 60 characters.
const BCRYPT_ENTRY = /^[^:\s]+:\$2[aby]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * The entries of an htpasswd text, and what is wrong with it, by line number only: an entry may
 * hold a password hash, which is never repeated in a message. Blank lines and `#` comments are
 * skipped.
 */
export function checkHtpasswd(text: string): { entries: string[]; problems: string[] } {
  const entries: string[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    if (BCRYPT_ENTRY.test(line)) entries.push(line);
    else problems.push(`line ${i + 1} is not a bcrypt entry (user:$2y$…)`);
  });
  return { entries, problems };
}

/** The user names of htpasswd entries. */
export const usersOf = (entries: string[]) => entries.map(e => e.slice(0, e.indexOf(":")));
