/**
 * The node agent's program, shipped in its ConfigMap and run by a POSIX shell (busybox in the
 * default image; the tests run it with busybox and dash against a directory standing in for the
 * node's root).
 *
 * `run` keeps the node matching the ConfigMap: every file listed in `files` written (temporary
 * file, then rename, so a reader never sees part of one), the marked lines of `hosts` in
 * /etc/hosts, and whatever it wrote before and no longer wants removed. A file that was there
 * before it is set aside in its state directory and put back when it goes. On SIGTERM (its pod
 * deleted: the owner gone, nodeTrust off, the node no longer selected) it removes exactly what it
 * wrote, unless a newer agent of the same owner took over (a rolling update), which it then
 * leaves in place. `sync` and `cleanup` do one pass of each.
 *
 * Kept free of `${` and backquotes: it lives in a template literal.
 */
export const NODE_AGENT_SCRIPT = String.raw`#!/bin/sh
# registry-operator node agent: see the ConfigMap's owner and files keys.
[ -n "$ROOT" ] || ROOT=/host
[ -n "$CONFIG" ] || CONFIG=/config
[ -n "$STATE" ] || STATE=$ROOT/var/lib/registry-operator/node-trust
[ -n "$INTERVAL" ] || INTERVAL=30
[ -n "$AGENT" ] || AGENT=local
[ -n "$READY" ] || READY=/run/node-trust/ready
# Paths hold brackets (an IPv6 host): never globbed, except where asked for.
set -f
OWNER=$(cat "$CONFIG/owner") || exit 1
DIR=$STATE/$OWNER
MARK="# registry-operator:$OWNER"

log() { echo "node-trust $OWNER: $*"; }

# The node path of every file this owner has written, one per line.
written() { cat "$DIR/files" 2>/dev/null; }

# Replace a state list atomically.
save() { printf '%s' "$2" > "$DIR/.$1.tmp" && mv -f "$DIR/.$1.tmp" "$DIR/$1"; }

remember() {
  written | grep -qxF "$1" && return 0
  save files "$(written; echo "$1")
"
}

forget() { save files "$(written | grep -vxF "$1")
"; }

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

# Directories it creates are removed again when empty.
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

# put NODE_PATH SOURCE: the node's file holds SOURCE's content, replaced in one rename.
put() {
  target=$ROOT$1
  [ -f "$target" ] && cmp -s "$2" "$target" && return 0
  if ! written | grep -qxF "$1"; then
    if owner=$(other_owner "$1"); then
      log "conflict: $1 is written by $owner; left alone"
      return 1
    fi
    if [ -e "$target" ]; then
      mkdir -p "$DIR/backup" && cp -p "$target" "$(backup_of "$1")" || return 1
      log "set aside the existing $1 (restored when this agent goes)"
    fi
  fi
  make_dirs "$(dirname "$1")" || return 1
  remember "$1" || return 1
  tmp=$(dirname "$target")/.$(basename "$target").registry-operator-tmp
  cp "$2" "$tmp" && chmod 644 "$tmp" && mv -f "$tmp" "$target" || { rm -f "$tmp"; return 1; }
  log "wrote $1"
}

# drop NODE_PATH: remove a file it wrote, putting back what was there before.
drop() {
  target=$ROOT$1
  backup=$(backup_of "$1")
  if [ -f "$backup" ]; then
    tmp=$(dirname "$target")/.$(basename "$target").registry-operator-tmp
    cp -p "$backup" "$tmp" && mv -f "$tmp" "$target" && rm -f "$backup" || return 1
    log "restored $1"
  else
    rm -f "$target" || return 1
    log "removed $1"
  fi
  forget "$1"
}

# The node's /etc/hosts with this owner's marked lines replaced by WANT (a file, or empty).
hosts() {
  file=$ROOT/etc/hosts
  [ -f "$file" ] || { [ -s "$1" ] || return 0; : > "$file"; }
  tmp=$ROOT/etc/.hosts.registry-operator-tmp
  { grep -vF " $MARK" "$file"; [ -s "$1" ] && sed "s|\$| $MARK|" "$1"; } > "$tmp"
  if cmp -s "$tmp" "$file"; then rm -f "$tmp"; return 0; fi
  chmod 644 "$tmp" && mv -f "$tmp" "$file" || { rm -f "$tmp"; return 1; }
  log "updated /etc/hosts"
}

# One pass: the node holds what the ConfigMap lists, and nothing else of this owner's.
converge() {
  mkdir -p "$DIR" || return 1
  ok=0
  wanted=""
  while read -r key path; do
    [ -n "$key" ] || continue
    wanted="$wanted$path
"
    put "$path" "$CONFIG/$key" || ok=1
  done < "$CONFIG/files"
  for path in $(written); do
    printf '%s' "$wanted" | grep -qxF "$path" || drop "$path" || ok=1
  done
  hosts "$CONFIG/hosts" || ok=1
  return $ok
}

# Everything it wrote removed, what was there before put back, its directories and state gone.
cleanup() {
  [ -d "$DIR" ] || return 0
  ok=0
  for path in $(written); do drop "$path" || ok=1; done
  hosts /dev/null || ok=1
  for d in $(sort -r "$DIR/dirs" 2>/dev/null); do rmdir "$ROOT$d" 2>/dev/null; done
  [ $ok = 0 ] && rm -rf "$DIR" && log "cleaned up"
  return $ok
}

current() { [ "$(cat "$DIR/agent" 2>/dev/null)" = "$AGENT" ]; }

stop() {
  if current; then cleanup; else log "a newer agent took over: files left in place"; fi
  exit 0
}

run() {
  trap stop TERM INT
  mkdir -p "$DIR" "$(dirname "$READY")" && save agent "$AGENT" || exit 1
  while :; do
    if ! current; then
      rm -f "$READY"
      log "a newer agent took over"
    elif converge; then
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
  sync) converge ;;
  cleanup) cleanup ;;
  *) echo "usage: $0 run|sync|cleanup" >&2; exit 2 ;;
esac
`;
