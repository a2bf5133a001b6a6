#!/usr/bin/env bash
# Builds the servers CEI runs on where a machine has no binaries for them:
# nats-server (JetStream) and FerretDB v1 (MongoDB wire protocol), both from the
# Go module proxy, into a cache directory reused across runs.
# Usage: infra/local/install-servers.sh   (prints the bin directory on stdout)
set -euo pipefail

NATS_VERSION="${NATS_VERSION:-v2.12.1}"
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
CACHE="${CEI_CACHE_DIR:-$HOME/.cache/cei}"
BIN="$CACHE/bin"
mkdir -p "$BIN"

log() { echo "[install-servers] $*" >&2; }

need_go() {
  command -v go >/dev/null 2>&1 || {
    log "Go is required to build nats-server and FerretDB (https://go.dev/dl, or your package manager's 'golang')."
    exit 1
  }
}

scratch_module() {
  local dir
  dir=$(mktemp -d)
  (cd "$dir" && go mod init cei.local/scratch >/dev/null 2>&1)
  echo "$dir"
}

if [ ! -x "$BIN/nats-server-$NATS_VERSION" ]; then
  need_go
  log "building nats-server $NATS_VERSION (about 30 s)…"
  mod=$(scratch_module)
  (cd "$mod" && GOFLAGS=-mod=mod go get "github.com/nats-io/nats-server/v2@$NATS_VERSION" >&2 \
    && go build -o "$BIN/nats-server-$NATS_VERSION" github.com/nats-io/nats-server/v2 >&2)
  rm -rf "$mod"
fi
ln -sf "nats-server-$NATS_VERSION" "$BIN/nats-server"

if [ ! -x "$BIN/ferretdb-$FERRETDB_VERSION" ]; then
  need_go
  log "building FerretDB $FERRETDB_VERSION (about 90 s cold)…"
  mod=$(scratch_module)
  # `go install …@version` is refused by the proxy here and the module ships an
  # empty build/version/version.txt (the binary panics at start), so build a copy.
  dir=$(cd "$mod" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { log "could not download FerretDB $FERRETDB_VERSION from the Go module proxy"; exit 1; }
  src="$CACHE/src/ferretdb-$FERRETDB_VERSION"
  rm -rf "$src" && mkdir -p "$(dirname "$src")" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" > "$src/build/version/version.txt"
  (cd "$src" && go build -o "$BIN/ferretdb-$FERRETDB_VERSION" ./cmd/ferretdb >&2)
  rm -rf "$mod"
fi
ln -sf "ferretdb-$FERRETDB_VERSION" "$BIN/ferretdb"

echo "$BIN"
