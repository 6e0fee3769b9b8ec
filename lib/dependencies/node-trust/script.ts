/**
 * The node agent's program, shipped in its ConfigMap and run by a POSIX shell (busybox in the
 * default image; the tests run it with busybox and dash against a directory standing in for the
 * node's root).
 *
 * `run` keeps the node matching the ConfigMap: every file listed in `files` written (temporary
 * file, then rename, so a reader never sees part of one), the marked lines of `hosts` in
 * /etc/hosts, and whatever it wrote before and no longer wants removed. A hosts.toml that was
 * there before it is set aside in its state directory, its fallbacks (`server`, other hosts) kept
 * after the operator's host, and put back when it goes. On SIGTERM (its pod deleted: the owner
 * gone, nodeTrust off, the node no longer selected) it removes exactly what it wrote, unless a
 * newer agent of the same owner took over (a rolling update), which it then leaves in place.
 * Agents of one node take turns (a lock in the shared state directory), and one finding another
 * owner's record untouched for STALE seconds (its agent gone without cleaning up) cleans up for
 * it. `sync` and `cleanup` do one pass of each.
 *
 * Kept free of `${` and backquotes: it lives in a template literal.
 */
export const NODE_AGENT_SCRIPT = String.raw`#!/bin/sh
# registry-operator node agent: see the ConfigMap's owner and files keys.
# Needs: sh, awk, basename, cat, chmod, cmp, cp, date, dirname, grep, ls, mkdir, mv, readlink,
# rm, rmdir, sed, sleep, sort, touch (busybox has them all).
[ -n "$ROOT" ] || ROOT=/host
[ -n "$CONFIG" ] || CONFIG=/config
[ -n "$STATE" ] || STATE=$ROOT/var/lib/registry-operator/node-trust
[ -n "$INTERVAL" ] || INTERVAL=30
[ -n "$STALE" ] || STALE=900
[ -n "$AGENT" ] || AGENT=local
[ -n "$READY" ] || READY=/run/node-trust/ready
# Paths hold brackets (an IPv6 host): never globbed, except where asked for.
set -f
OWNER=$(cat "$CONFIG/owner") || exit 1
DIR=$STATE/$OWNER
LOCK=$STATE/.lock
LOCKED=""

log() { echo "node-trust $OWNER: $*"; }

# Whether $1 is a number (times read back from files).
number() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; }

marker() { echo " # registry-operator:$1"; }

# Replace a state list atomically.
save() { printf '%s' "$2" > "$DIR/.$1.tmp" && mv -f "$DIR/.$1.tmp" "$DIR/$1"; }

# The node path of every file this owner has written, one per line.
written() { cat "$DIR/files" 2>/dev/null; }

remember() {
  written | grep -qxF "$1" && return 0
  save files "$(written; echo "$1")
"
}

forget() { save files "$(written | grep -vxF "$1")
"; }

# One agent at a time on a node changes its files: /etc/hosts is shared by all of them.
lock() {
  [ -n "$LOCKED" ] && return 0
  mkdir -p "$STATE" || return 1
  n=0
  until mkdir "$LOCK" 2>/dev/null; do
    n=$((n + 1))
    at=$(cat "$LOCK/at" 2>/dev/null)
    # A holder that died leaves its lock: taken over after a minute (or 10 s without a time).
    if { number "$at" && [ $(($(date +%s) - at)) -gt 60 ]; } || { ! number "$at" && [ $n -gt 100 ]; }; then
      rm -rf "$LOCK"
      continue
    fi
    [ $n -gt 1200 ] && { log "could not take $LOCK"; return 1; }
    sleep 0.1 2>/dev/null || sleep 1
  done
  date +%s > "$LOCK/at"
  LOCKED=1
}

unlock() { [ -n "$LOCKED" ] && rm -rf "$LOCK"; LOCKED=""; }

# Another owner's agent wrote this path: it is not ours to change.
other_owner() {
  set +f
  lists=$(ls "$STATE"/*/files 2>/dev/null)
  set -f
  for f in $lists; do
    [ "$f" = "$DIR/files" ] && continue
    [ -f "$f" ] && grep -qxF "$1" "$f" && { basename "$(dirname "$f")"; return 0; }
  done
  return 1
}

backup_of() { echo "$DIR/backup/$(echo "$1" | sed 's|/|%|g')"; }
tmp_of() { echo "$(dirname "$1")/.$(basename "$1").registry-operator-tmp"; }

# Directories it creates are removed again once empty.
make_dirs() {
  d=$1
  missing=""
  while [ ! -d "$ROOT$d" ]; do
    missing="$d
$missing"
    d=$(dirname "$d")
  done
  [ -z "$missing" ] && return 0
  mkdir -p "$ROOT$1" || return 1
  save dirs "$(cat "$DIR/dirs" 2>/dev/null; printf '%s' "$missing")
"
}

remove_empty_dirs() {
  kept=""
  for d in $(sort -r "$DIR/dirs" 2>/dev/null); do
    [ -d "$ROOT$d" ] && ! rmdir "$ROOT$d" 2>/dev/null && kept="$kept$d
"
  done
  [ -f "$DIR/dirs" ] && save dirs "$kept"
}

# A hosts.toml the operator renders (SOURCE) with what the one set aside held kept as fallbacks:
# its top-level keys (its server replaces the operator's), then the operator's hosts, then its.
merged_hosts_toml() {
  awk -v theirs="$2" '
    BEGIN {
      while ((getline l < theirs) > 0) {
        if (!table && l ~ /^[ \t]*\[/) table = 1
        if (table) tail = tail l "\n"
        else {
          if (l ~ /^[ \t]*server[ \t]*=/) server = 1
          top = top l "\n"
        }
      }
    }
    /^# / && !started { print; next }
    !started {
      started = 1
      print "# The hosts.toml that was here before is kept below as fallback, and put back later."
      printf "%s", top
      if (server && $0 ~ /^server[ \t]*=/) next
      print
      next
    }
    { print }
    END { printf "\n%s", tail }
  ' "$1"
}

# What a file must hold: SOURCE, or for a hosts.toml set aside, SOURCE merged with it (unless it
# already names the operator's host: a table twice is not TOML).
content_for() {
  backup=$(backup_of "$1")
  case "$1" in
    */hosts.toml)
      if [ -f "$backup" ]; then
        host=$(sed -n '/^\[host\./{p;q;}' "$2")
        if [ -n "$host" ] && ! grep -qF "$host" "$backup"; then
          merged_hosts_toml "$2" "$backup" > "$DIR/.content" && echo "$DIR/.content" && return 0
        fi
      fi
      ;;
  esac
  echo "$2"
}

# put NODE_PATH SOURCE: the node's file holds what SOURCE says, replaced in one rename.
put() {
  target=$ROOT$1
  if ! written | grep -qxF "$1"; then
    [ -f "$target" ] && cmp -s "$2" "$target" && return 0
    if owner=$(other_owner "$1"); then
      log "conflict: $1 is written by $owner; left alone"
      return 1
    fi
    if [ -e "$target" ]; then
      mkdir -p "$DIR/backup" && cp "$target" "$(backup_of "$1")" || return 1
      log "set aside the existing $1 (put back when this agent goes)"
    fi
  fi
  source=$(content_for "$1" "$2") || return 1
  [ -f "$target" ] && cmp -s "$source" "$target" && return 0
  make_dirs "$(dirname "$1")" || return 1
  remember "$1" || return 1
  tmp=$(tmp_of "$target")
  cp "$source" "$tmp" && chmod 644 "$tmp" && mv -f "$tmp" "$target" || { rm -f "$tmp"; return 1; }
  log "wrote $1"
}

# drop NODE_PATH: remove a file it wrote, putting back what was there before.
drop() {
  target=$ROOT$1
  backup=$(backup_of "$1")
  tmp=$(tmp_of "$target")
  if [ -f "$backup" ]; then
    cp "$backup" "$tmp" && chmod 644 "$tmp" && mv -f "$tmp" "$target" && rm -f "$backup" || return 1
    log "put back $1"
  else
    rm -f "$target" "$tmp" || return 1
    log "removed $1"
  fi
  forget "$1"
}

# The node's /etc/hosts with OWNER's marked lines (the whole marker, at the end) being the lines
# of WANT (a file, or empty): those already there stay where they are, new ones are appended.
hosts() {
  file=$ROOT/etc/hosts
  mark=$(marker "$2")
  tmp=$ROOT/etc/.hosts.registry-operator-tmp
  rm -f "$tmp"
  if [ -L "$file" ] || [ ! -f "$file" ]; then
    [ -s "$1" ] || return 0
    log "/etc/hosts is missing or a link: not changed (fix spec.service.clusterIP instead of hostsFile)"
    return 1
  fi
  awk -v m="$mark" -v want="$1" '
    BEGIN { while ((getline l < want) > 0) if (l != "") { w[++n] = l m; wanted[l m] = 1 } }
    {
      if (length($0) >= length(m) && substr($0, length($0) - length(m) + 1) == m) {
        if (!($0 in wanted) || ($0 in done)) next
        done[$0] = 1
      }
      print
    }
    END { for (i = 1; i <= n; i++) if (!(w[i] in done)) print w[i] }
  ' "$file" > "$tmp" || { rm -f "$tmp"; return 1; }
  if cmp -s "$tmp" "$file"; then rm -f "$tmp"; return 0; fi
  chmod 644 "$tmp" && mv -f "$tmp" "$file" || { rm -f "$tmp"; return 1; }
  log "updated /etc/hosts"
}

# One pass: the node holds what the ConfigMap lists, and nothing else of this owner's.
converge() {
  mkdir -p "$DIR" || return 1
  # kubelet swaps a ConfigMap volume's ..data link at once: read one version throughout.
  src=$CONFIG
  [ -L "$CONFIG/..data" ] && src=$CONFIG/$(readlink "$CONFIG/..data")
  ok=0
  wanted=""
  while read -r key path; do
    [ -n "$key" ] || continue
    wanted="$wanted$path
"
    put "$path" "$src/$key" || ok=1
  done < "$src/files"
  for path in $(written); do
    printf '%s' "$wanted" | grep -qxF "$path" || drop "$path" || ok=1
  done
  hosts "$src/hosts" "$OWNER" || ok=1
  remove_empty_dirs
  rm -f "$DIR/.content"
  date +%s > "$DIR/seen"
  return $ok
}

# Everything it wrote removed, what was there before put back, its directories and state gone.
cleanup() {
  [ -d "$DIR" ] || return 0
  ok=0
  for path in $(written); do drop "$path" || ok=1; done
  hosts /dev/null "$OWNER" || ok=1
  remove_empty_dirs
  [ $ok = 0 ] && rm -rf "$DIR" && log "cleaned up"
  return $ok
}

# Owners whose agent has not been seen for STALE seconds went without cleaning up (a node that
# crashed, a pod deleted by force): clean up for them.
reap() {
  now=$(date +%s)
  set +f
  seen=$(ls "$STATE"/*/seen 2>/dev/null)
  set -f
  for s in $seen; do
    d=$(dirname "$s")
    [ "$d" = "$DIR" ] && continue
    at=$(cat "$s" 2>/dev/null)
    number "$at" && [ $((now - at)) -gt "$STALE" ] || continue
    o=$(basename "$d")
    log "the agent of $o has not been seen for $((now - at)) s: cleaning up for it"
    (OWNER=$o; DIR=$d; cleanup)
  done
}

current() { [ "$(cat "$DIR/agent" 2>/dev/null)" = "$AGENT" ]; }

# The record has no agent (none yet, or the newer one cleaned up and left): this one takes it.
claim() { [ -f "$DIR/agent" ] || { mkdir -p "$DIR" && save agent "$AGENT"; }; }

pass() { lock || return 1; reap; converge; r=$?; unlock; return $r; }

stop() {
  lock
  if current; then cleanup; else log "a newer agent took over: files left in place"; fi
  unlock
  exit 0
}

run() {
  trap stop TERM INT
  mkdir -p "$DIR" "$(dirname "$READY")" && save agent "$AGENT" || exit 1
  while :; do
    claim
    if ! current; then
      rm -f "$READY"
      log "a newer agent took over"
    elif pass; then
      touch "$READY"
    else
      rm -f "$READY"
    fi
    sleep "$INTERVAL" &
    wait $!
  done
}

case "$1" in
  run) run ;;
  sync) pass ;;
  cleanup) lock && { cleanup; r=$?; unlock; exit $r; } ;;
  *) echo "usage: $0 run|sync|cleanup" >&2; exit 2 ;;
esac
`;
