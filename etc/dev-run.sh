#!/usr/bin/env bash
# etc/dev-run.sh - the `make run` runner: the project-local MariaDB in var/db, migrations, the
# demo trust on first start, then bursard in the foreground. Ctrl-C (or TERM) stops bursard and
# the database; data in var/ survives. Assumes `make` has built daemon/bursard.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."          # the repo root
# shellcheck source=etc/localdb.sh
source etc/localdb.sh

readonly DBDIR=var/db                           # etc/bursard.conf: socket var/db/run/mysqld.sock
readonly CONF=etc/bursard.conf
readonly BURSARD=daemon/bursard
readonly TOKENS=var/dev-tokens
readonly USERS=var/dev-users
readonly URL=http://127.0.0.1:8080/
readonly DRAIN_S=15                             # after this long, TERM becomes KILL

say() { printf 'dev-run: %s\n' "$*" >&2; }

[[ -x $BURSARD ]] || { say "$BURSARD is not built (run make)"; exit 1; }
[[ -r $CONF ]] || { say "$CONF is missing"; exit 1; }
mkdir -p var

# One runner at a time: a second `make run` would stop the first one's database on its way out.
# fd 9 holds the lock; it is closed for every child so that no leftover process keeps it.
exec 9> var/dev-run.lock
if ! flock -n 9; then
	say "another make run is using var/ (var/dev-run.lock is held); stop it first"
	exit 1
fi

bursard_pid=

# shellcheck disable=SC2317  # reached through the traps
cleanup() {
	local rc=$? i
	trap '' INT TERM                            # a second Ctrl-C must not cut the clean-up short
	trap - EXIT
	set +e
	if [[ -n $bursard_pid ]] && kill -0 "$bursard_pid" 2>/dev/null; then
		say "stopping bursard (pid $bursard_pid)"
		kill -TERM "$bursard_pid" 2>/dev/null
		for (( i = 0; i < DRAIN_S * 10; i++ )); do
			kill -0 "$bursard_pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$bursard_pid" 2>/dev/null; then
			say "bursard did not stop within ${DRAIN_S}s: killing it"
			kill -KILL "$bursard_pid" 2>/dev/null
		fi
		wait "$bursard_pid" 2>/dev/null
	fi
	if localdb_running "$DBDIR"; then
		say "stopping the database ($DBDIR)"
	fi
	localdb_stop "$DBDIR" 9>&- || rc=1
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting the database in $DBDIR"
localdb_start "$DBDIR" 9>&-

"$BURSARD" -c "$CONF" migrate 9>&-
"$BURSARD" -c "$CONF" seed --tokens "$TOKENS" --users "$USERS" 9>&-

# The tokens stay in their file (mode 0600): never on stdout, where a terminal's scroll-back,
# a CI log or a screen share would keep them. Only where they are, and how to use one.
echo
echo "bursard: $URL"
if [[ -r $USERS ]]; then
	echo "Sign in at $URL as any of the demo's people: their e-mail addresses and passwords are in"
	echo "  $USERS (role<TAB>e-mail<TAB>password, one line per role; keep it private)"
fi
if [[ -r $TOKENS ]]; then
	chmod 0600 "$TOKENS"
	echo "Tokens: $TOKENS (mode 0600; role<TAB>token<TAB>label, one line per role; keep them private)."
	echo "Try:"
	# shellcheck disable=SC2016  # for the reader's shell
	printf '  TOKEN=$(awk -F"\\t" '"'"'$1 == "finance_director" { print $2 }'"'"' %s)\n' "$TOKENS"
	# shellcheck disable=SC2016
	printf '  curl -H "Authorization: Bearer $TOKEN" %sapi/v1/schools\n' "$URL"
else
	echo "No $TOKENS: the database was seeded earlier and the file has gone."
	echo "Create a token with: $BURSARD -c $CONF token ... (or remove var/ to start afresh)"
fi
echo "Health and metrics: http://127.0.0.1:8081/healthz, /metrics (etc/bursard.conf ops)."
echo "Ctrl-C stops bursard and the database; the data stays in var/."
echo

"$BURSARD" -c "$CONF" 9>&- &
bursard_pid=$!
# A signal interrupts this wait: its trap exits, and cleanup forwards TERM and waits.
rc=0
wait "$bursard_pid" || rc=$?
bursard_pid=
if (( rc != 0 )); then
	say "bursard exited with status $rc"
fi
exit "$rc"
