#!/usr/bin/env bash
# Deletes KIND/NAME without waiting and waits for the operator to create it again (another uid).
# Chainsaw's own delete waits to see the object gone, which a fast re-create can hide from it.
set -eu
kind=$1 name=$2
old=$(kubectl -n "$NAMESPACE" get "$kind" "$name" -o jsonpath='{.metadata.uid}')
kubectl -n "$NAMESPACE" delete "$kind" "$name" --wait=false
for _ in $(seq 1 100); do
  now=$(kubectl -n "$NAMESPACE" get "$kind" "$name" -o jsonpath='{.metadata.uid}' 2>/dev/null || true)
  if [ -n "$now" ] && [ "$now" != "$old" ]; then echo "recreated"; exit 0; fi
  sleep 0.3
done
echo "$kind $name was not recreated" >&2
exit 1
