/**
 * The node agent's program, shipped in its ConfigMap and run by a POSIX shell (busybox in the
 * default image; the tests run it with busybox and dash against a directory standing in for the
 * node's root).
 *
 * `run` keeps the node matching the ConfigMap: every file listed in `files` written (temporary
 * file, then rename, so a reader never sees part of one), the marked lines of `hosts` in
 * /etc/hosts, and whatever it wrote before and no longer wants removed. A file that was there
 * before it is set aside in its state directory and put back when it goes; a plain hosts.toml
 * set aside keeps its fallbacks (`server`, other hosts) after the operator's host. On SIGTERM (its
 * pod deleted: the owner gone, nodeTrust off, the node no longer selected) it removes exactly what
 * it wrote, unless another agent of the same owner runs on the node (a rolling update, or one
 * undone), which it hands the files to. The agents of a node take turns (flock on a file in
 * their shared state directory: the kernel releases it when a holder dies), and one finding
 * another owner's record untouched for STALE seconds (its agent gone without cleaning up) cleans
 * up for it. `sync` and `cleanup` do one pass of each.
 *
 * Kept free of `${` and backquotes: it lives in a template literal.
 */
export const NODE_AGENT_SCRIPT = String.raw`#!/bin/sh
# registry-operator node agent: see the ConfigMap's owner and files keys.
# Needs: sh, awk, basename, cat, chmod, cmp, cp, cut, date, dirname, flock, grep, ls, mkdir, mv,
# readlink, rm, rmdir, sed, sleep, sort, stat, touch (the busybox image has them all).
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
# <kind>.<namespace>.<name>: one directory name, never a path.
case "$OWNER" in
  '' | .* | *..* | *[!a-z0-9.-]*) echo "node-trust: invalid owner '$OWNER'" >&2; exit 2 ;;
esac
DIR=$STATE/$OWNER
# Directories the agents created, removed once empty (shared: one may create what another uses).
DIRS=$STATE/.dirs

log() { echo "node-trust $OWNER: $*"; }

# Seconds since boot: unmoved by changes of the clock (a record from before a reboot is newer).
now() { cut -d. -f1 /proc/uptime; }

number() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; }

# Replace a state file atomically.
save() { printf '%s' "$2" > "$1.tmp" && mv -f "$1.tmp" "$1"; }

# The node path of every file this owner has written, one per line.
written() { cat "$DIR/files" 2>/dev/null; }
remember() { written | grep -qxF "$1" || save "$DIR/files" "$(written; echo "$1")
"; }
forget() { save "$DIR/files" "$(written | grep -vxF "$1")
"; }

# One agent at a time on a node changes files (/etc/hosts is everyone's). Re-entrant: flock on the
# descriptor this shell already locked succeeds.
lock() {
  n=0
  until flock -n 9; do
    n=$((n + 1))
    [ $n -ge 1200 ] && { log "another agent has held $STATE/.lock for two minutes: skipping this pass"; return 1; }
    sleep 0.1 2>/dev/null || sleep 1
  done
}
unlock() { flock -u 9; }

# Another owner's agent wrote this path: it is not ours to change.
other_owner() {
  set +f
  lists=$(ls "$STATE"/*/files 2>/dev/null)
  set -f
  for f in $lists; do
    [ "$f" = "$DIR/files" ] && continue
    grep -qxF "$1" "$f" && { basename "$(dirname "$f")"; return 0; }
  done
  return 1
}

backup_of() { echo "$DIR/backup/$(echo "$1" | sed 's|/|%|g')"; }
tmp_of() { echo "$(dirname "$1")/.$(basename "$1").$OWNER.registry-operator-tmp"; }
mode_of() { stat -c %a "$1" 2>/dev/null || echo 644; }

# Copy FROM over the node file TO (temporary file, then rename), with MODE.
replace() {
  tmp=$(tmp_of "$2")
  cp "$1" "$tmp" && chmod "$3" "$tmp" && mv -f "$tmp" "$2" || { rm -f "$tmp"; return 1; }
}

make_dirs() {
  d=$1
  missing=""
  while [ ! -d "$ROOT$d" ]; do
    missing="$d
$missing"
    d=$(dirname "$d")
  done
  [ -z "$missing" ] && return 0
  save "$DIRS" "$(cat "$DIRS" 2>/dev/null; printf '%s' "$missing")
" && mkdir -p "$ROOT$1"
}

remove_empty_dirs() {
  [ -f "$DIRS" ] || return 0
  kept=""
  for d in $(sort -ru "$DIRS"); do
    [ -d "$ROOT$d" ] && ! rmdir "$ROOT$d" 2>/dev/null && kept="$kept$d
"
  done
  save "$DIRS" "$kept"
}

# Whether a hosts.toml is plain enough to merge without a TOML parser: comments, one-line
# "key = value" (a string, boolean, number or one-line array) and [host."…"] headers only.
plain_toml() {
  ! grep -qvE '^[[:space:]]*(#.*)?$|^[[:space:]]*[A-Za-z0-9_-]+[[:space:]]*=[[:space:]]*("[^"]*"|true|false|[0-9]+|\[[^][]*\])[[:space:]]*(#.*)?$|^\[host\."[^"]+"\][[:space:]]*(#.*)?$' "$1"
}

# The operator's hosts.toml (SOURCE) with the one set aside (THEIRS) kept as fallbacks: its
# top-level keys (its server replacing the operator's), the operator's hosts, then its hosts.
merged_hosts_toml() {
  awk -v theirs="$2" '
    BEGIN {
      while ((getline l < theirs) > 0) {
        if (!table && l ~ /^\[/) table = 1
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

# What a node file must hold: SOURCE, or a hosts.toml set aside merged into it, when both are
# plain and the set-aside one does not already name the operator's host (a table twice is not
# TOML). Prints the file to copy.
content_for() {
  backup=$(backup_of "$1")
  case "$1" in */hosts.toml) ;; *) echo "$2"; return 0 ;; esac
  [ -f "$backup" ] || { echo "$2"; return 0; }
  host=$(sed -n '/^\[host\./{p;q;}' "$2")
  if [ -n "$host" ] && ! grep -qF "$host" "$backup" && plain_toml "$backup"; then
    merged_hosts_toml "$2" "$backup" > "$DIR/.content" && echo "$DIR/.content" && return 0
  fi
  echo "$2"
}

# put NODE_PATH SOURCE: the node's file holds what SOURCE says.
put() {
  target=$ROOT$1
  if [ -L "$target" ]; then
    log "$1 is a symbolic link: left alone"
    return 1
  fi
  if ! written | grep -qxF "$1"; then
    [ -f "$target" ] && cmp -s "$2" "$target" && return 0
    if owner=$(other_owner "$1"); then
      log "conflict: $1 is written by $owner; left alone"
      return 1
    fi
    if [ -e "$target" ]; then
      mkdir -p "$DIR/backup" && cp "$target" "$(backup_of "$1")" &&
        chmod "$(mode_of "$target")" "$(backup_of "$1")" || return 1
      log "set aside the existing $1 (put back when this agent goes)"
    fi
  fi
  source=$(content_for "$1" "$2") || return 1
  [ -f "$target" ] && cmp -s "$source" "$target" && return 0
  make_dirs "$(dirname "$1")" && remember "$1" && replace "$source" "$target" 644 || return 1
  log "wrote $1"
}

# drop NODE_PATH: remove a file it wrote, putting back what was there before. The backup goes
# last: killed on the way, the next drop finds it still.
drop() {
  target=$ROOT$1
  backup=$(backup_of "$1")
  if [ -f "$backup" ]; then
    replace "$backup" "$target" "$(mode_of "$backup")" && forget "$1" && rm -f "$backup" || return 1
    log "put back $1"
  else
    rm -f "$target" "$(tmp_of "$target")" && forget "$1" || return 1
    log "removed $1"
  fi
}

# The node's /etc/hosts with OWNER's marked lines (the whole marker, at the end) being the lines of
# WANT (a file, or empty): those already there stay where they are, new ones are appended. Left
# untouched when it has none of them and wants none.
hosts() {
  file=$ROOT/etc/hosts
  mark=" # registry-operator:$2"
  tmp=$(tmp_of "$file")
  rm -f "$tmp"
  if [ -L "$file" ] || [ ! -f "$file" ]; then
    [ -s "$1" ] || return 0
    log "/etc/hosts is missing or a link: not changed (fix spec.service.clusterIP instead of hostsFile)"
    return 1
  fi
  [ -s "$1" ] || grep -qF "$mark" "$file" || return 0
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
  chmod "$(mode_of "$file")" "$tmp" || { rm -f "$tmp"; return 1; }
  if ! mv -f "$tmp" "$file" 2>/dev/null; then
    # A bind-mounted /etc/hosts (a kind node) cannot be renamed over: written in place.
    cat "$tmp" > "$file" && rm -f "$tmp" || { rm -f "$tmp"; return 1; }
  fi
  log "updated /etc/hosts"
}

# The ConfigMap as one version: kubelet swaps its volume's ..data link and deletes the old
# directory, so it is copied first; a copy that fails changes nothing.
snapshot() {
  src=$CONFIG
  [ -L "$CONFIG/..data" ] && src=$CONFIG/$(readlink "$CONFIG/..data")
  rm -rf "$DIR/.config" && mkdir "$DIR/.config" && cp -r "$src/." "$DIR/.config/" &&
    [ -f "$DIR/.config/files" ] || { log "could not read $CONFIG: nothing changed this pass"; return 1; }
}

# One pass: the node holds what the ConfigMap lists, and nothing else of this owner's.
converge() {
  mkdir -p "$DIR" && now > "$DIR/seen" && snapshot || return 1
  cfg=$DIR/.config
  ok=0
  while read -r key path; do
    [ -n "$key" ] || continue
    put "$path" "$cfg/$key" || ok=1
  done < "$cfg/files"
  for path in $(written); do
    cut -d' ' -f2- "$cfg/files" | grep -qxF "$path" || drop "$path" || ok=1
  done
  hosts "$cfg/hosts" "$OWNER" || ok=1
  remove_empty_dirs
  rm -f "$DIR/.content"
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

# Owners whose agent has not passed for STALE seconds went without cleaning up (a node that
# crashed, a pod deleted by force): clean up for them. A record without a readable time, or one
# from before a reboot, starts its clock now.
reap() {
  t=$(now)
  set +f
  records=$(ls -d "$STATE"/*/ 2>/dev/null)
  set -f
  for d in $records; do
    d=$(echo "$d" | sed 's|/*$||')
    [ "$d" = "$DIR" ] && continue
    at=$(cat "$d/seen" 2>/dev/null)
    if ! number "$at" || [ "$at" -gt "$t" ]; then
      echo "$t" > "$d/seen"
      continue
    fi
    [ $((t - at)) -gt "$STALE" ] || continue
    o=$(basename "$d")
    log "the agent of $o has not passed for $((t - at)) s: cleaning up for it"
    (OWNER=$o; DIR=$d; cleanup)
  done
}

current() { [ "$(cat "$DIR/agent" 2>/dev/null)" = "$AGENT" ]; }

# Another agent of this owner that passed lately (a rolling update's other pod).
standby() {
  set +f
  beats=$(ls "$DIR"/standby.* 2>/dev/null)
  set -f
  t=$(now)
  for b in $beats; do
    id=$(basename "$b")
    id=$(echo "$id" | cut -d. -f2-)
    [ "$id" = "$AGENT" ] && continue
    at=$(cat "$b" 2>/dev/null)
    number "$at" && [ $((t - at)) -le $((2 * INTERVAL + 5)) ] && { echo "$id"; return 0; }
  done
  return 1
}

stop() {
  lock
  rm -f "$DIR/standby.$AGENT"
  if ! current; then
    log "another agent keeps the files"
  elif other=$(standby); then
    save "$DIR/agent" "$other"
    log "handed the files to agent $other"
  else
    cleanup
  fi
  unlock
  exit 0
}

run() {
  rm -f "$READY"
  trap stop TERM INT
  mkdir -p "$DIR" "$(dirname "$READY")" || exit 1
  lock && save "$DIR/agent" "$AGENT" && unlock || exit 1
  while :; do
    if lock; then
      # The record has no agent (the one that had it cleaned up and left): this one takes it.
      [ -f "$DIR/agent" ] || { mkdir -p "$DIR" && save "$DIR/agent" "$AGENT"; }
      if current; then
        rm -f "$DIR/standby.$AGENT"
        reap
        if converge; then touch "$READY"; else rm -f "$READY"; fi
      else
        now > "$DIR/standby.$AGENT"
        rm -f "$READY"
      fi
      unlock
    else
      rm -f "$READY"
    fi
    # Standing by, it looks more often: the agent it defers to may go first.
    if current; then sleep "$INTERVAL" & else sleep 2 & fi
    wait $!
  done
}

mkdir -p "$STATE" && exec 9>> "$STATE/.lock" || exit 1
case "$1" in
  run) run ;;
  sync) lock && { reap; converge; r=$?; unlock; exit $r; } ;;
  cleanup) lock && { cleanup; r=$?; unlock; exit $r; } ;;
  *) echo "usage: $0 run|sync|cleanup" >&2; exit 2 ;;
esac
`;
