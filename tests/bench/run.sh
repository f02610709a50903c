#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup and stop_pid run from traps, which shellcheck does not follow
# tests/bench/run.sh: bursard's read path against a bare evhttp handler (tests/bench/bare)
# (the school GET, its 304 poll, an uncached read, and the school-systems feed and its 304 poll)
# on this machine, in one run; the uncached read also against bare making one prepared
# round trip a request (SELECT ?+1) on the same MariaDB. Called by `make bench` after it has built both binaries.
#
# Environment (all optional):
#   BURSARD=daemon/bursard  BARE=tests/bench/bare   binaries (relative to the repo root)
#   BENCH_SECONDS=10    length of each measured wrk run
#   BENCH_ROUNDS=3      rounds; each target's figures are the median over the rounds
#   BENCH_THREADS=2 BENCH_CONNECTIONS=50   wrk -t / -c (the reference figures use -t2 -c50)
#   BENCH_WORKERS=4     worker threads for all three servers (bursard's default)
#   BENCH_TARGET=0.5    minimum ratio bursard/bare req/s reported as PASS
#   BENCH_STRICT=1      exit 1 when the ratio is below target (default: report only, exit 0)
#   BENCH_URN=NNNNNN    school to read (default: the lowest seeded school URN)
#
# Exit status: 0 when the benchmark ran (whatever the figures), 1 when it could not run
# or a target answered with errors, or with BENCH_STRICT=1 and a ratio below target.
set -euo pipefail
export LC_ALL=C  # decimal points in wrk output, awk and printf

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

BURSARD=${BURSARD:-daemon/bursard}
BARE=${BARE:-tests/bench/bare}
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_ROUNDS=${BENCH_ROUNDS:-3}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-50}
BENCH_WORKERS=${BENCH_WORKERS:-4}
BENCH_TARGET=${BENCH_TARGET:-0.5}
BENCH_STRICT=${BENCH_STRICT:-0}
BENCH_URN=${BENCH_URN:-}
WARMUP_SECONDS=2
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

say() { printf 'bench: %s\n' "$*" >&2; }

dir=
bursard_pid=
bare_pid=
baredb_pid=
db_started=0
cleaned=0

# Print the end of the daemons' logs, then stop: the trap cleans up.
die() {
	say "error: $*"
	local f
	for f in "${dir:-/nonexistent}"/bursard.log "${dir:-/nonexistent}"/bare.log "${dir:-/nonexistent}"/bare-db.log; do
		if [[ -s $f ]]; then
			say "--- last lines of ${f##*/} ---"
			tail -n 20 "$f" >&2 || true
		fi
	done
	exit 1
}

# alive PID: running (a zombie that is not yet reaped counts as gone).
alive() {
	local state
	state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)
	[[ -n $state && $state != Z ]]
}

# stop_pid PID NAME: SIGTERM, wait up to 5 s, then SIGKILL. Only ever our own children.
stop_pid() {
	local pid=$1 name=$2 i
	[[ -n $pid ]] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do
		alive "$pid" || break
		sleep 0.1
	done
	if alive "$pid"; then
		say "$name (pid $pid) did not stop within 5 s; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	((cleaned)) && return 0
	cleaned=1
	stop_pid "$bursard_pid" bursard
	stop_pid "$bare_pid" bare
	stop_pid "$baredb_pid" bare-db
	if ((db_started)); then
		localdb_stop "$dir/db" || say "localdb_stop failed"
	fi
	if [[ -n $dir && -d $dir ]]; then
		rm -rf -- "$dir"
	fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

posint() {
	if [[ ! $2 =~ ^[0-9]+$ ]] || (($2 < 1 || $2 > $3)); then
		die "$1 must be an integer from 1 to $3 (got '$2')"
	fi
}
posint BENCH_SECONDS "$BENCH_SECONDS" 600
posint BENCH_ROUNDS "$BENCH_ROUNDS" 25
posint BENCH_THREADS "$BENCH_THREADS" 64
posint BENCH_CONNECTIONS "$BENCH_CONNECTIONS" 10000
posint BENCH_WORKERS "$BENCH_WORKERS" 64
[[ $BENCH_TARGET =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "BENCH_TARGET must be a number (got '$BENCH_TARGET')"
[[ -z $BENCH_URN || $BENCH_URN =~ ^[0-9]{6}$ ]] || die "BENCH_URN must be 6 digits (got '$BENCH_URN')"

for tool in wrk curl awk; do
	command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install wrk curl)"
done
[[ -x $BURSARD ]] || die "$BURSARD is missing: run 'make bench' (it builds it)"
[[ -x $BARE ]] || die "$BARE is missing: run 'make bench' (it builds it)"
[[ -f etc/localdb.sh ]] || die "etc/localdb.sh is missing"
# shellcheck source=../../etc/localdb.sh
source etc/localdb.sh

# A free ephemeral port on the loopback (the kernel picks it; the socket is closed at once).
free_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# http_code URL [curl args...]: the status code, or 000 when nothing answered.
http_code() {
	local url=$1
	shift
	curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$@" "$url" 2>/dev/null || true
}

# wait_http NAME PID URL: up to 10 s for URL to answer 200 while PID is alive.
wait_http() {
	local name=$1 pid=$2 url=$3 i
	for ((i = 0; i < 100; i++)); do
		alive "$pid" || die "$name exited during start-up"
		[[ $(http_code "$url") == 200 ]] && return 0
		sleep 0.1
	done
	die "$name did not answer 200 on $url within 10 s"
}

# rss_of PID: "VmRSS (peak VmHWM)" in MB, read while the process runs.
rss_of() {
	[[ -r /proc/$1/status ]] || { echo unknown; return 0; }
	awk '/^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 }
		END { if (rss == "") print "unknown"; else printf "%.1f MB (peak %.1f MB)", rss / 1024, hwm / 1024 }' \
		"/proc/$1/status"
}

# --- set-up ---------------------------------------------------------------------------------

dir=$(mktemp -d /tmp/bursar.XXXXXX)
say "scratch directory $dir"
say "starting a throwaway MariaDB"
LOCALDB_THROWAWAY=1 localdb_start "$dir/db" || die "localdb_start failed"
db_started=1

port=$(free_port) || die "could not pick a free port"
port2=$(free_port) || die "could not pick a free port"
for ((i = 0; i < 10 && port2 == port; i++)); do
	port2=$(free_port)
done
((port2 != port)) || die "could not find two distinct free ports"
port3=$(free_port) || die "could not pick a free port"
for ((i = 0; i < 10 && (port3 == port || port3 == port2); i++)); do
	port3=$(free_port)
done
((port3 != port && port3 != port2)) || die "could not find three distinct free ports"

conf=$dir/bursard.conf
cat >"$conf" <<EOF
http = { address = "127.0.0.1"; port = $port; workers = $BENCH_WORKERS; };
database = { socket = "$dir/db/run/mysqld.sock"; user = "root"; name = "bursar"; auto_migrate = true; };
log = { level = "warning"; access = false; };
paths = { schema = "$ROOT/schema"; openapi = "$ROOT/daemon/openapi.json"; plugins = "$ROOT/plugins"; };
plugins = ();
procurement = { ocds_prefix = "ocds-xxxxxx-bursar"; };
EOF

say "migrating and seeding"
"$BURSARD" -c "$conf" migrate >"$dir/migrate.log" 2>&1 || { cat "$dir/migrate.log" >&2; die "bursard migrate failed"; }
"$BURSARD" -c "$conf" seed --tokens "$dir/tokens" >"$dir/seed.log" 2>&1 || { cat "$dir/seed.log" >&2; die "bursard seed failed"; }
token=$(awk -F'\t' '$1 == "finance_director" { print $2; exit }' "$dir/tokens" 2>/dev/null || true)
[[ -n $token ]] || die "no finance_director token in $dir/tokens"
auth="Authorization: Bearer $token"
# The school-systems feed is read with the seeded school_system token (for the lowest URN).
ss_token=$(awk -F'\t' '$1 == "school_system" { print $2; exit }' "$dir/tokens" 2>/dev/null || true)
[[ -n $ss_token ]] || die "no school_system token in $dir/tokens"
ss_auth="Authorization: Bearer $ss_token"

say "starting bursard on 127.0.0.1:$port"
"$BURSARD" -c "$conf" >"$dir/bursard.log" 2>&1 &
bursard_pid=$!
wait_http bursard "$bursard_pid" "http://127.0.0.1:$port/healthz"

urn=$BENCH_URN
if [[ -z $urn ]] && declare -F localdb_client >/dev/null; then
	urn=$(localdb_client "$dir/db" -N -e \
		"select urn from bursar.schools where kind='school' order by urn limit 1" 2>/dev/null || true)
fi
if [[ ! $urn =~ ^[0-9]{6}$ ]]; then
	# Fall back on the API: the lowest 6-digit URN in the first page of schools.
	urn=$(curl -s --max-time 5 -H "$auth" "http://127.0.0.1:$port/api/v1/schools?limit=1000" |
		"$PY" -c 'import json, sys
items = json.load(sys.stdin).get("items", [])
urns = sorted(str(s.get("urn", "")) for s in items if str(s.get("urn", "")).isdigit() and len(str(s.get("urn"))) == 6)
print(urns[0] if urns else "")' 2>/dev/null || true)
fi
[[ $urn =~ ^[0-9]{6}$ ]] || die "could not find a seeded school URN (set BENCH_URN)"
path=/api/v1/schools/$urn
url=http://127.0.0.1:$port$path

# The measured request must succeed and carry an ETag, and the conditional one must be a 304,
# or the figures would be those of an error path.
headers=$(curl -s --max-time 5 -D - -o "$dir/body.json" -H "$auth" "$url" | tr -d '\r') ||
	die "GET $path failed"
status=$(awk 'NR == 1 { print $2 }' <<<"$headers")
[[ $status == 200 ]] || die "GET $path answered $status, not 200: $(head -c 300 "$dir/body.json")"
etag=$(awk 'tolower($1) == "etag:" { sub(/^[^:]*:[ \t]*/, ""); print; exit }' <<<"$headers")
[[ -n $etag ]] || die "GET $path has no ETag header"
status=$(http_code "$url" -H "$auth" -H "If-None-Match: $etag")
[[ $status == 304 ]] || die "GET $path with If-None-Match: $etag answered $status, not 304"
body_bytes=$(wc -c <"$dir/body.json")

# The feed: the same checks, with the school system's token.
feed_path=/api/v1/schools/$urn/services?year=2026-27
feed_url=http://127.0.0.1:$port$feed_path
headers=$(curl -s --max-time 5 -D - -o "$dir/feed.json" -H "$ss_auth" "$feed_url" | tr -d '\r') ||
	die "GET $feed_path failed"
status=$(awk 'NR == 1 { print $2 }' <<<"$headers")
[[ $status == 200 ]] || die "GET $feed_path answered $status, not 200: $(head -c 300 "$dir/feed.json")"
feed_etag=$(awk 'tolower($1) == "etag:" { sub(/^[^:]*:[ \t]*/, ""); print; exit }' <<<"$headers")
[[ -n $feed_etag ]] || die "GET $feed_path has no ETag header"
status=$(http_code "$feed_url" -H "$ss_auth" -H "If-None-Match: $feed_etag")
[[ $status == 304 ]] || die "GET $feed_path with If-None-Match: $feed_etag answered $status, not 304"
feed_bytes=$(wc -c <"$dir/feed.json")

say "starting bare on 127.0.0.1:$port2"
"$BARE" "$port2" "$BENCH_WORKERS" >"$dir/bare.log" 2>&1 &
bare_pid=$!
wait_http bare "$bare_pid" "http://127.0.0.1:$port2$path"
say "starting bare with one SELECT ?+1 a request on 127.0.0.1:$port3"
"$BARE" "$port3" "$BENCH_WORKERS" "$dir/db/run/mysqld.sock" >"$dir/bare-db.log" 2>&1 &
baredb_pid=$!
wait_http bare-db "$baredb_pid" "http://127.0.0.1:$port3$path"

# --- measuring ------------------------------------------------------------------------------

# Each target: name, URL and its extra request headers. Both plain targets send the same
# headers, so the requests are the same size; bare ignores them.
declare -A target_url target_cond
target_url[bare]=http://127.0.0.1:$port2$path
target_url[bursard]=$url
target_url[bursard-304]=$url
target_cond[bursard-304]=$etag
# A read that is not cached, for reading only: one prepared query per request.
target_url[bursard-db]=$url/years/2026-27
# Its references: bare making one prepared round trip a request on the same MariaDB.
target_url[bare-db]=http://127.0.0.1:$port3$path
# The school-systems feed (issue 4), read with the school system's token, and its 304 poll.
declare -A target_auth
target_url[feed]=$feed_url
target_auth[feed]=$ss_auth
target_url[feed-304]=$feed_url
target_auth[feed-304]=$ss_auth
target_cond[feed-304]=$feed_etag

# run_wrk TARGET ROUND: warm-up, then the measured run; prints "rps p50_ms p99_ms".
run_wrk() {
	local t=$1 round=$2 out=$dir/wrk-$1-$2.txt
	local -a args=(-t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" --timeout 2s -H "${target_auth[$t]:-$auth}")
	[[ -n ${target_cond[$t]:-} ]] && args+=(-H "If-None-Match: ${target_cond[$t]}")
	timeout $((WARMUP_SECONDS + 30)) wrk "${args[@]}" -d"${WARMUP_SECONDS}s" "${target_url[$t]}" >/dev/null 2>&1 ||
		die "wrk warm-up against $t failed"
	timeout $((BENCH_SECONDS + 30)) wrk "${args[@]}" -d"${BENCH_SECONDS}s" --latency "${target_url[$t]}" >"$out" 2>&1 ||
		{ cat "$out" >&2; die "wrk against $t failed"; }
	# wrk prints latencies as 682.00us, 1.20ms, 1.02s; "Non-2xx or 3xx responses" counts errors.
	awk -v t="$t" '
		function ms(v) {
			if (v ~ /us$/) return v / 1000
			if (v ~ /ms$/) return v + 0
			if (v ~ /m$/) return v * 60000
			if (v ~ /s$/) return v * 1000
			return v + 0
		}
		/^[ \t]+50%/ { p50 = ms($2) }
		/^[ \t]+99%/ { p99 = ms($2) }
		/requests in/ { total = $1 }
		/^Requests\/sec:/ { rps = $2 }
		/Non-2xx or 3xx responses:/ { bad = $NF }
		/Socket errors:/ { sockerr = $0 }
		END {
			if (rps == "" || p50 == "" || p99 == "") { print "bad-output"; exit }
			if (bad > 0 && bad * 100 > total) { print "non-2xx/3xx answers: " bad " of " total; exit }
			if (bad > 0) printf "bench: %s: %d of %d answers were not 2xx/3xx\n", t, bad, total > "/dev/stderr"
			if (sockerr != "") printf "bench: %s: %s\n", t, sockerr > "/dev/stderr"
			printf "%.0f %.3f %.3f\n", rps, p50, p99
		}' "$out"
}

say "measuring: wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s (after ${WARMUP_SECONDS}s warm-up), $BENCH_ROUNDS round(s)"
declare -A rps_list p50_list p99_list
targets=(bursard bare bursard-304 bursard-db bare-db feed feed-304)
for ((round = 1; round <= BENCH_ROUNDS; round++)); do
	# Alternate which server goes first so a drift in the machine's speed favours neither.
	if ((round % 2)); then
		order=(bursard bare bursard-304 bursard-db bare-db feed feed-304)
	else
		order=(bare bursard bursard-304 bare-db bursard-db feed-304 feed)
	fi
	line="round $round/$BENCH_ROUNDS:"
	for t in "${order[@]}"; do
		res=$(run_wrk "$t" "$round")
		[[ $res =~ ^[0-9]+\ [0-9.]+\ [0-9.]+$ ]] ||
			{ cat "$dir/wrk-$t-$round.txt" >&2; die "$t: $res"; }
		read -r r a b <<<"$res"
		rps_list[$t]+="$r "
		p50_list[$t]+="$a "
		p99_list[$t]+="$b "
		line+=" $t $r req/s;"
	done
	say "$line"
done

# Sampled while the daemons still run (VmHWM is the peak over the whole run).
bursard_rss=$(rss_of "$bursard_pid")
bare_rss=$(rss_of "$bare_pid")
baredb_rss=$(rss_of "$baredb_pid")

median() {
	tr ' ' '\n' <<<"$1" | awk 'NF' | sort -g |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A med_rps med_p50 med_p99
for t in "${targets[@]}"; do
	med_rps[$t]=$(median "${rps_list[$t]}")
	med_p50[$t]=$(median "${p50_list[$t]}")
	med_p99[$t]=$(median "${p99_list[$t]}")
done

ratio=$(awk -v a="${med_rps[bursard]}" -v b="${med_rps[bare]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
ratiodb=$(awk -v a="${med_rps[bursard-db]}" -v b="${med_rps[bare]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
ratiodb1=$(awk -v a="${med_rps[bursard-db]}" -v b="${med_rps[bare-db]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
ratiobaredb=$(awk -v a="${med_rps[bare-db]}" -v b="${med_rps[bare]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
ratio304=$(awk -v a="${med_rps[bursard-304]}" -v b="${med_rps[bare]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
ratiofeed=$(awk -v a="${med_rps[feed]}" -v b="${med_rps[bare]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
ratiofeed304=$(awk -v a="${med_rps[feed-304]}" -v b="${med_rps[bare]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
feedverdict=$(awk -v a="$ratiofeed" -v b="$ratiofeed304" 'BEGIN { print (a >= 0.5 && b >= 0.8 ? "PASS" : "FAIL") }')
verdict=$(awk -v a="${med_rps[bursard]}" -v b="${med_rps[bare]}" -v t="$BENCH_TARGET" \
	'BEGIN { print (b > 0 && a / b >= t ? "PASS" : "FAIL") }')
ncpu=$(nproc 2>/dev/null || echo '?')

echo
echo "bench: GET $path ($body_bytes-byte body), wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s, median of $BENCH_ROUNDS round(s), $BENCH_WORKERS workers each, $ncpu CPU(s) shared with wrk"
printf '%-28s %10s %9s %9s %8s\n' target 'req/s' 'p50 ms' 'p99 ms' ratio
printf '%-28s %10.0f %9.2f %9.2f %8s\n' 'bare evhttp (reference)' "${med_rps[bare]}" "${med_p50[bare]}" "${med_p99[bare]}" 1.00
printf '%-28s %10.0f %9.2f %9.2f %8s\n' 'bursard GET' "${med_rps[bursard]}" "${med_p50[bursard]}" "${med_p99[bursard]}" "$ratio"
printf '%-28s %10.0f %9.2f %9.2f %8s\n' 'bursard GET If-None-Match' "${med_rps[bursard-304]}" "${med_p50[bursard-304]}" "${med_p99[bursard-304]}" "$ratio304"
printf '%-28s %10.0f %9.2f %9.2f %8s\n' 'bursard GET years (no cache)' "${med_rps[bursard-db]}" "${med_p50[bursard-db]}" "${med_p99[bursard-db]}" "$ratiodb"
printf '%-28s %10.0f %9.2f %9.2f %8s\n' 'bare + SELECT ?+1' "${med_rps[bare-db]}" "${med_p50[bare-db]}" "${med_p99[bare-db]}" "$ratiobaredb"
printf '%-28s %10.0f %9.2f %9.2f %8s\n' 'feed GET' "${med_rps[feed]}" "${med_p50[feed]}" "${med_p99[feed]}" "$ratiofeed"
printf '%-28s %10.0f %9.2f %9.2f %8s\n' 'feed GET If-None-Match' "${med_rps[feed-304]}" "${med_p50[feed-304]}" "${med_p99[feed-304]}" "$ratiofeed304"
echo "ratio bursard/bare req/s: $ratio (target >= $BENCH_TARGET): $verdict"
echo "  the other rows are for reading only (a 304 poll; $path/years/2026-27, a database"
echo "  read on every request; the feed and its poll, below): they are not part of the target"
echo "database read: GET $path/years/2026-27 (one prepared query a request) against the bare"
echo "  handler $ratiodb, against bare making one prepared SELECT ?+1 a request $ratiodb1 (for reading)"
echo "feed: GET $feed_path ($feed_bytes-byte body) with a school_system token: ratio $ratiofeed"
echo "  (target >= 0.5), its 304 poll $ratiofeed304 (target >= 0.8): $feedverdict (for reading; not the exit status)"
echo "RSS after the run: bursard $bursard_rss; bare $bare_rss; bare + SELECT $baredb_rss"

if [[ $verdict == FAIL && $BENCH_STRICT == 1 ]]; then
	say "BENCH_STRICT=1 and the ratio is below target"
	exit 1
fi
exit 0
