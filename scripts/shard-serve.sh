#!/bin/sh
# Serves one member's index to the network's search server with Xapian's own remote
# backend (xapian-tcpsrv, Debian package xapian-tools).
#
#   scripts/shard-serve.sh INDEX_DIR PORT [ADDRESS]
#
# INDEX_DIR must be an index written by `evidence-index --shard NAME`; ADDRESS is the
# interface to listen on (default 127.0.0.1; use the machine's address for other hosts,
# behind a firewall: the protocol has no authentication). The portal lists the shard as
# {"name": "NAME", "remote": "HOST:PORT"} in its shards file. Runs in the foreground (for
# systemd or a terminal); each connection is served by a child process.
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 INDEX_DIR PORT [ADDRESS]" >&2
  exit 2
fi
index=$1
port=$2
address=${3:-127.0.0.1}

if [ ! -e "$index/iamglass" ] && [ ! -e "$index/XAPIANDB" ]; then
  echo "$0: no index at $index (build it with evidence-index --shard NAME)" >&2
  exit 1
fi
shard=$(xapian-metadata get "$index" evidence:shard)
if [ -z "$shard" ]; then
  echo "$0: $index is not a shard; write it with evidence-index --shard NAME" >&2
  exit 1
fi
echo "serving shard '$shard' ($index) on $address:$port" >&2
# Idle connections are closed after 10 minutes; the portal reconnects when it needs to.
exec xapian-tcpsrv --quiet --interface "$address" --port "$port" --idle-timeout 600000 "$index"
