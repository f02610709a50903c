#!/usr/bin/env bash
# etc/cluster/cluster.sh - a local test cluster: three MariaDB Galera nodes, HAProxy, two bursards.
#
#   cluster.sh start DIR            start everything (bounded: CLUSTER_TIMEOUT, default 120 s)
#   cluster.sh stop DIR             stop everything it started; idempotent; leaves nothing running
#   cluster.sh kill-db N DIR        kill -9 Galera node N (1..3)
#   cluster.sh start-db N DIR       restart node N; it rejoins (IST, or SST by rsync) and is Synced
#   cluster.sh kill-bursard N DIR   kill -9 bursard instance N (1..2)
#   cluster.sh start-bursard N DIR  restart it and wait for its /readyz
#   cluster.sh status DIR           one line per process: name pid state
#   cluster.sh servers DIR          HAProxy's servers: backend server status sessions-now sessions-total
#
# DIR must be short (Unix socket paths < 108 bytes): mktemp -d /tmp/bc.XXXXXX. Everything lives
# in it: dbN/ (my.cnf, data/, run/mysqld.sock, run/mysqld.pid, log/error.log), haproxy.cfg,
# haproxy.pid, haproxy.sock, bursardN.conf, bursardN.pid, bursardN.log, db-password, tokens,
# users, ports, and cluster.env (KEY=value lines for shells and Python; see
# /work/wt/ISSUE18_CONTRACT.md and README "Operations").
#
# The nodes listen on 127.0.0.1 only, on free ephemeral ports chosen at the first start (kept
# in DIR/ports for restarts): mysql, gcomm (replication), IST, SST (mariadb-backup). Node 1 bootstraps
# the cluster (--wsrep-new-cluster), nodes 2 and 3 start from a copy of its datadir and join. HAProxy fronts the
# bursards (HTTP, health check GET /readyz) and the nodes (TCP, etc/cluster/galera-check.sh:
# Synced and Primary only). The schema is migrated and the demo trust seeded once, through
# bursard 1's command line, before the instances serve.
#
# Environment:
#   CLUSTER_TIMEOUT=120     seconds start may take before it gives up (and stops what it started)
#   CLUSTER_DB_MODE=single  HAProxy's database front: "single" (node 1 takes every connection,
#                           nodes 2 and 3 are backups, in order) or "all" (round robin)
#   CLUSTER_DB_FAILBACK=0   single: 0, the connections stay on the node they moved to when
#                           node 1 is back; 1, node 1 takes them back (the backup's are closed)
#   CLUSTER_REFRESH_MS=250  the bursards' cache.refresh_ms (start-bursard: default, what the
#                           cluster runs with; cluster.env's CACHE_REFRESH_MS follows the last)
#   CLUSTER_SEED=1          0: migrate only, no demo trust (no tokens or users files)
# Exit status: 0 done, 1 failed (a message on stderr says what), 2 usage.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
readonly here root
readonly BURSARD=$root/daemon/bursard
readonly GALERA_LIB=/usr/lib/galera/libgalera_smm.so
readonly NODES=3 INSTANCES=2

say() { printf 'cluster: %s\n' "$*" >&2; }

usage() {
	sed -n '3,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# ---------------------------------------------------------------- processes

# alive PID: a live process (not a zombie)
alive() {
	local st
	[[ ${1:-} =~ ^[0-9]+$ ]] || return 1
	st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[[ -n $st && $st != Z && $st != X ]]
}

# pidfile_pid FILE: the pid in FILE if that process is alive
pidfile_pid() {
	local pid
	[[ -r $1 ]] || return 1
	read -r pid < "$1" 2>/dev/null || return 1
	alive "$pid" || return 1
	printf '%s\n' "$pid"
}

# wait_gone PID SECONDS
wait_gone() {
	local i
	for (( i = 0; i < $2 * 20; i++ )); do
		alive "$1" || return 0
		sleep 0.05
	done
	return 1
}

# stop_pid PID SECONDS: TERM, then KILL after SECONDS
stop_pid() {
	local pid=$1
	alive "$pid" || return 0
	kill -TERM "$pid" 2>/dev/null
	wait_gone "$pid" "$2" && return 0
	kill -KILL "$pid" 2>/dev/null
	wait_gone "$pid" 5
}

# Processes started under DIR that outlived their parent (a state transfer's socat or
# mariadb-backup, a check): those whose command line or working directory names DIR/PREFIX, in
# another session than ours (everything the cluster runs was started with setsid; the caller,
# whose command line may name DIR too, shares our session). By pid, never by name.
dir_pids() {
	local prefix=$1 f p mysid
	mysid=$(ps -o sid= -p $$ | tr -d ' ')
	{
		grep -lsF -- "$prefix" /proc/[0-9]*/cmdline
		find /proc/[0-9]*/cwd -maxdepth 0 -lname "$prefix*" 2>/dev/null
	} | while IFS= read -r f; do
		p=${f#/proc/}
		p=${p%%/*}
		[[ $(ps -o sid= -p "$p" 2>/dev/null | tr -d ' ') == "$mysid" ]] && continue
		alive "$p" && printf '%s\n' "$p"
	done | sort -u
}

kill_dir_pids() {
	local prefix=$1 i pids
	for (( i = 0; i < 50; i++ )); do
		pids=$(dir_pids "$prefix")
		[[ -z $pids ]] && return 0
		# shellcheck disable=SC2086
		kill -KILL $pids 2>/dev/null
		sleep 0.1
	done
	say "processes under $prefix would not die: $(dir_pids "$prefix" | tr '\n' ' ')"
	return 1
}

# ---------------------------------------------------------------- layout

set_dir() {
	[[ -n ${1:-} ]] || usage
	DIR=$(realpath -m -- "$1") || { say "cannot resolve $1"; exit 1; }
	if (( ${#DIR} > 60 )); then
		say "DIR $DIR is too long for the nodes' socket paths: use mktemp -d /tmp/bc.XXXXXX"
		exit 1
	fi
}

node_dir() { printf '%s/db%s' "$DIR" "$1"; }
node_cnf() { printf '%s/db%s/my.cnf' "$DIR" "$1"; }
# mariadbd writes its pid file late (after a state transfer): launcher.pid, written at the
# launch, names the same process (setsid execs mariadbd in the background subshell)
node_pid() { pidfile_pid "$DIR/db$1/run/mysqld.pid" || pidfile_pid "$DIR/db$1/run/launcher.pid"; }
bursard_pid() { pidfile_pid "$DIR/bursard$1.pid"; }
haproxy_pid() { pidfile_pid "$DIR/haproxy.pid"; }

# The ports file: chosen once (free ephemeral loopback ports), reused by every restart.
load_ports() {
	if [[ ! -r $DIR/ports ]]; then
		local ports i k=0
		read -r -a ports < <(/usr/bin/python3 -c '
import socket
ss = []
for _ in range(17):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); ss.append(s)
print(" ".join(str(s.getsockname()[1]) for s in ss))') || { say "cannot choose free ports"; return 1; }
		{
			for i in 1 2 3; do
				printf 'DB_NODE_%s_PORT=%s\nGCOMM_%s_PORT=%s\nIST_%s_PORT=%s\nSST_%s_PORT=%s\n' \
					"$i" "${ports[k]}" "$i" "${ports[k + 1]}" "$i" "${ports[k + 2]}" "$i" "${ports[k + 3]}"
				k=$(( k + 4 ))
			done
			printf 'HTTP_PORT=%s\nDB_PROXY_PORT=%s\nSTATS_PORT=%s\n' "${ports[12]}" "${ports[13]}" "${ports[14]}"
			printf 'BURSARD_1_PORT=%s\nBURSARD_2_PORT=%s\n' "${ports[15]}" "${ports[16]}"
		} > "$DIR/ports.tmp" && mv "$DIR/ports.tmp" "$DIR/ports"
	fi
	# shellcheck disable=SC1091
	source "$DIR/ports"
}

port_of() { local v=$1; printf '%s' "${!v}"; }

# ---------------------------------------------------------------- Galera nodes

node_sql() { mariadb --defaults-file="$(node_cnf "$1")" --connect-timeout=2 -N -B -e "$2" 2>/dev/null; }

# node_state N: synced, joined, donor, joining, non-primary, not-answering
node_state() {
	local out cs ls
	out=$(node_sql "$1" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('wsrep_cluster_status', 'wsrep_local_state') ORDER BY VARIABLE_NAME") ||
		{ echo not-answering; return; }
	cs=$(sed -n 1p <<< "$out")
	ls=$(sed -n 2p <<< "$out")
	if [[ $cs != Primary ]]; then echo non-primary; return; fi
	case $ls in
	4) echo synced ;; 3) echo joined ;; 2) echo donor ;; 1) echo joining ;; *) echo "state-$ls" ;;
	esac
}

write_node_cnf() {
	local n=$1 d
	d=$(node_dir "$n")
	sed -e "s|@USER@|$(id -un)|g" -e "s|@NODE_DIR@|$d|g" -e "s|@N@|$n|g" \
		-e "s|@MYSQL_PORT@|$(port_of "DB_NODE_${n}_PORT")|g" \
		-e "s|@GCOMM_PORT@|$(port_of "GCOMM_${n}_PORT")|g" \
		-e "s|@IST_PORT@|$(port_of "IST_${n}_PORT")|g" \
		-e "s|@SST_PORT@|$(port_of "SST_${n}_PORT")|g" \
		-e "s|@GCOMM_1@|$GCOMM_1_PORT|g" -e "s|@GCOMM_2@|$GCOMM_2_PORT|g" -e "s|@GCOMM_3@|$GCOMM_3_PORT|g" \
		"$here/node.cnf.in" > "$d/my.cnf.tmp" && mv "$d/my.cnf.tmp" "$d/my.cnf"
}

node_tail() {
	local f
	f="$(node_dir "$1")/log/error.log"
	[[ -s $f ]] || return 0
	say "last lines of $f:"
	tail -n "${2:-12}" "$f" | sed 's/^/    /' >&2
}

# start_node N bootstrap(0|1) SECONDS: start mariadbd and wait until it is Synced
start_node() {
	launch_node "$1" "$2" && wait_node "$1" "$3"
}

# launch_node N bootstrap(0|1): start mariadbd (no wait)
launch_node() {
	local n=$1 boot=$2 d cnf pid args=() pos other live=0
	d=$(node_dir "$n")
	cnf=$(node_cnf "$n")
	if pid=$(node_pid "$n"); then
		say "db$n is running already (pid $pid)"
	else
		mkdir -p "$d/run" "$d/log" "$d/tmp" "$d/data" || { say "cannot create $d"; return 1; }
		chmod 0700 "$d" "$d/run"
		rm -f "$d/run/mysqld.pid"
		write_node_cnf "$n" || { say "cannot write $cnf"; return 1; }
		if (( boot )) && [[ ! -d $d/data/mysql ]]; then
			if ! mariadb-install-db --defaults-file="$cnf" --auth-root-authentication-method=normal \
					--skip-test-db > "$d/log/install.log" 2>&1 < /dev/null; then
				say "mariadb-install-db failed for db$n:"
				tail -n 12 "$d/log/install.log" | sed 's/^/    /' >&2
				return 1
			fi
		fi
		if (( ! boot )); then
			# no other node alive: nothing to join, so this one starts the cluster again
			for other in 1 2 3; do
				[[ $other != "$n" ]] && node_pid "$other" > /dev/null && live=1
			done
			if (( ! live )) && [[ -d $d/data/mysql ]]; then
				say "db$n: no other node is running: it bootstraps the cluster"
				boot=1
				sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$d/data/grastate.dat" 2>/dev/null
			fi
		fi
		# after a crash (kill -9) the saved position is unknown (seqno -1): recover it from
		# InnoDB so that the node asks for IST (the write-sets it missed) rather than a full SST
		if [[ -r $d/data/grastate.dat ]] && grep -q '^seqno: *-1' "$d/data/grastate.dat"; then
			: > "$d/log/recover.log"
			timeout 60 mariadbd --defaults-file="$cnf" --wsrep-recover --log-error="$d/log/recover.log" \
				< /dev/null > /dev/null 2>&1
			pos=$(sed -n 's/.*WSREP: Recovered position: *\([^ ]*\).*/\1/p' "$d/log/recover.log" | tail -n 1)
			[[ -n $pos ]] && args+=("--wsrep_start_position=$pos")
		fi
		(( boot )) && args+=(--wsrep-new-cluster)
		( cd "$d" && exec setsid mariadbd --defaults-file="$cnf" "${args[@]}" < /dev/null >> "$d/log/mariadbd.out" 2>&1 ) &
		echo $! > "$d/run/launcher.pid"
		disown $! 2>/dev/null
	fi
}

# wait_node N SECONDS: until node N is Synced (fails when it exits or the time is up)
wait_node() {
	local n=$1 secs=$2 i
	for (( i = 0; i < secs * 5; i++ )); do
		[[ $(node_state "$n") == synced ]] && return 0
		if ! node_pid "$n" > /dev/null; then
			say "db$n exited during start-up"
			node_tail "$n"
			return 1
		fi
		sleep 0.2
	done
	say "db$n was not Synced within ${secs}s (state: $(node_state "$n"))"
	node_tail "$n"
	return 1
}

# stop_node N: TERM, wait for it to leave the cluster, KILL after 30 s
stop_node() {
	local pid
	if pid=$(node_pid "$1"); then
		stop_pid "$pid" 30 || say "db$1 (pid $pid) did not stop"
	fi
}

# ---------------------------------------------------------------- HAProxy

write_haproxy_cfg() {
	local mode=${CLUSTER_DB_MODE:-single} servers="" bservers="" balance marked_up="" i
	for i in 1 2; do
		bservers+="    server b$i 127.0.0.1:$(port_of "BURSARD_${i}_PORT") check"$'\n'
	done
	for i in 1 2 3; do
		servers+="    server db$i 127.0.0.1:$(port_of "DB_NODE_${i}_PORT") check"
		[[ $mode == single && $i != 1 ]] && servers+=" backup"
		servers+=$'\n'
	done
	case $mode in
	single)
		balance="    balance first"
		if [[ ${CLUSTER_DB_FAILBACK:-0} == 1 ]]; then
			marked_up="on-marked-up shutdown-backup-sessions"
		else
			balance+=$'\n    stick-table type ip size 1\n    stick on dst'
		fi ;;
	all)
		balance="    balance leastconn" ;;
	*)
		say "CLUSTER_DB_MODE must be single or all, not $mode"; return 1 ;;
	esac
	/usr/bin/python3 - "$here/haproxy.cfg.in" "$DIR/haproxy.cfg" <<PY
import sys
t = open(sys.argv[1]).read()
for k, v in {"@DIR@": "$DIR", "@ETC@": "$here", "@HTTP_PORT@": "$HTTP_PORT",
             "@DB_PROXY_PORT@": "$DB_PROXY_PORT", "@STATS_PORT@": "$STATS_PORT",
             "@DB_MODE@": "$mode", "@DB_MARKED_UP@": "$marked_up", "@DB_BALANCE@": """$balance""",
             "@BURSARD_SERVERS@": """${bservers%$'\n'}""", "@DB_SERVERS@": """${servers%$'\n'}"""}.items():
    t = t.replace(k, v)
open(sys.argv[2], "w").write(t)
PY
}

# haproxy_servers: "backend server status sessions-now sessions-total" lines from the stats socket
haproxy_servers() {
	/usr/bin/python3 - "$DIR/haproxy.sock" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(2)
s.connect(sys.argv[1])
s.sendall(b"show stat\n")
data = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
for line in data.decode().splitlines():
    f = line.split(",")
    if len(f) > 17 and not line.startswith("#") and f[1] not in ("FRONTEND", "BACKEND"):
        print(f[0], f[1], f[17], f[4], f[7])
PY
}

# wait_backend NAME SECONDS: every server of HAProxy's backend NAME is UP
wait_backend() {
	local i out
	for (( i = 0; i < $2 * 5; i++ )); do
		out=$(haproxy_servers | awk -v b="$1" '$1 == b { print $1, $2, $3 }')
		if [[ -n $out ]] && ! grep -qv ' UP$' <<< "$out"; then
			return 0
		fi
		sleep 0.2
	done
	say "HAProxy's $1 servers not all UP within $2 s: $(tr '\n' ';' <<< "$out")"
	return 1
}

start_haproxy() {
	local i
	haproxy_pid > /dev/null && return 0
	write_haproxy_cfg || return 1
	if ! haproxy -c -q -f "$DIR/haproxy.cfg" > "$DIR/haproxy.check" 2>&1; then
		say "HAProxy refuses $DIR/haproxy.cfg:"
		sed 's/^/    /' "$DIR/haproxy.check" >&2
		return 1
	fi
	rm -f "$DIR/haproxy.pid"
	( cd "$DIR" && exec haproxy -D -f "$DIR/haproxy.cfg" < /dev/null >> "$DIR/haproxy.log" 2>&1 )
	for (( i = 0; i < 100; i++ )); do
		haproxy_pid > /dev/null && [[ -S $DIR/haproxy.sock ]] && return 0
		sleep 0.05
	done
	say "HAProxy did not start:"
	tail -n 10 "$DIR/haproxy.log" | sed 's/^/    /' >&2
	return 1
}

# ---------------------------------------------------------------- bursard

# The bursards' cache.refresh_ms: CLUSTER_REFRESH_MS, else what the cluster runs with, else 250
# (bursard's default)
refresh_ms() {
	local v
	if [[ -n ${CLUSTER_REFRESH_MS:-} ]]; then
		v=$CLUSTER_REFRESH_MS
	else
		v=$(sed -n 's/^CACHE_REFRESH_MS=//p' "$DIR/cluster.env" 2>/dev/null)
	fi
	[[ $v =~ ^[0-9]+$ ]] || v=250
	printf '%s' "$v"
}

write_bursard_conf() {
	local n=$1
	sed -e "s|@HTTP_PORT@|$(port_of "BURSARD_${n}_PORT")|g" -e "s|@DB_PROXY_PORT@|$DB_PROXY_PORT|g" \
		-e "s|@DIR@|$DIR|g" -e "s|@ROOT@|$root|g" -e "s|@REFRESH_MS@|$(refresh_ms)|g" \
		"$here/bursard.conf.in" > "$DIR/bursard$n.conf.tmp" && mv "$DIR/bursard$n.conf.tmp" "$DIR/bursard$n.conf"
}

# start_bursard N SECONDS: start instance N and wait until its /readyz answers 200
start_bursard() {
	local n=$1 secs=$2 url i
	url=http://127.0.0.1:$(port_of "BURSARD_${n}_PORT")
	if ! bursard_pid "$n" > /dev/null; then
		write_bursard_conf "$n" || return 1
		rm -f "$DIR/bursard$n.pid"
		# the subshell writes its own pid, then becomes bursard: the pid file names bursard
		( cd "$DIR" && exec setsid bash -c 'echo $$ > "$1" && exec "$2" -c "$3"' _ \
			"$DIR/bursard$n.pid" "$BURSARD" "$DIR/bursard$n.conf" < /dev/null >> "$DIR/bursard$n.log" 2>&1 ) &
		disown $! 2>/dev/null
	fi
	for (( i = 0; i < secs * 10; i++ )); do
		if [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url/readyz") == 200 ]]; then
			return 0
		fi
		if (( i > 10 )) && ! bursard_pid "$n" > /dev/null; then
			say "bursard $n exited during start-up; last lines of $DIR/bursard$n.log:"
			tail -n 12 "$DIR/bursard$n.log" | sed 's/^/    /' >&2
			return 1
		fi
		sleep 0.1
	done
	say "bursard $n: $url/readyz not 200 within ${secs}s; last lines of $DIR/bursard$n.log:"
	tail -n 12 "$DIR/bursard$n.log" | sed 's/^/    /' >&2
	return 1
}

stop_bursard() {
	local pid
	if pid=$(bursard_pid "$1"); then
		stop_pid "$pid" 15 || say "bursard $1 (pid $pid) did not stop"
	fi
}

# ---------------------------------------------------------------- the whole

write_env() {
	local i
	{
		printf 'CLUSTER_DIR=%s\n' "$DIR"
		printf 'CLUSTER_URL=http://127.0.0.1:%s\n' "$HTTP_PORT"
		printf 'CLUSTER_DB_MODE=%s\n' "${CLUSTER_DB_MODE:-single}"
		printf 'CLUSTER_DB_FAILBACK=%s\n' "${CLUSTER_DB_FAILBACK:-0}"
		printf 'CACHE_REFRESH_MS=%s\n' "$(refresh_ms)"
		for i in 1 2; do
			printf 'BURSARD_%s_URL=http://127.0.0.1:%s\n' "$i" "$(port_of "BURSARD_${i}_PORT")"
			# no separate ops listener (the API suite expects /metrics on the API port)
			printf 'BURSARD_%s_OPS_URL=http://127.0.0.1:%s\n' "$i" "$(port_of "BURSARD_${i}_PORT")"
			printf 'BURSARD_%s_PIDFILE=%s/bursard%s.pid\n' "$i" "$DIR" "$i"
			printf 'BURSARD_%s_LOG=%s/bursard%s.log\n' "$i" "$DIR" "$i"
			printf 'BURSARD_CONF_%s=%s/bursard%s.conf\n' "$i" "$DIR" "$i"
		done
		for i in 1 2 3; do
			printf 'DB_NODE_%s_PORT=%s\n' "$i" "$(port_of "DB_NODE_${i}_PORT")"
			printf 'DB_NODE_%s_SOCKET=%s/db%s/run/mysqld.sock\n' "$i" "$DIR" "$i"
			printf 'DB_NODE_%s_PIDFILE=%s/db%s/run/mysqld.pid\n' "$i" "$DIR" "$i"
			printf 'DB_NODE_%s_LOG=%s/db%s/log/error.log\n' "$i" "$DIR" "$i"
			printf 'DB_NODE_%s_CNF=%s/db%s/my.cnf\n' "$i" "$DIR" "$i"
		done
		printf 'DB_PROXY_PORT=%s\n' "$DB_PROXY_PORT"
		printf 'DB_USER=bursar\nDB_NAME=bursar\nDB_PASSWORD_FILE=%s/db-password\n' "$DIR"
		printf 'HAPROXY_PIDFILE=%s/haproxy.pid\n' "$DIR"
		printf 'HAPROXY_SOCKET=%s/haproxy.sock\n' "$DIR"
		printf 'HAPROXY_STATS_URL=http://127.0.0.1:%s/\n' "$STATS_PORT"
		printf 'TOKENS_FILE=%s/tokens\nUSERS_FILE=%s/users\n' "$DIR" "$DIR"
	} > "$DIR/cluster.env.tmp" && mv "$DIR/cluster.env.tmp" "$DIR/cluster.env"
}

remaining() { local r=$(( deadline - SECONDS )); (( r < 5 )) && r=5; echo "$r"; }

check_tools() {
	local t
	for t in mariadbd mariadb mariadb-install-db mariadb-backup socat haproxy curl setsid /usr/bin/python3; do
		command -v "$t" > /dev/null 2>&1 || [[ -x /usr/sbin/$t ]] ||
			{ say "$t not found: run make deps (galera-4, mariadb-server, mariadb-backup, socat, haproxy, curl)"; return 1; }
	done
	[[ -r $GALERA_LIB ]] || { say "$GALERA_LIB not found: run make deps (galera-4)"; return 1; }
	[[ -x $BURSARD ]] || { say "$BURSARD is not built: run make"; return 1; }
	command -v ss > /dev/null 2>&1 || { say "ss not found (iproute2): the SST script needs it"; return 1; }
}

cmd_start() {
	local i pw
	deadline=$(( SECONDS + ${CLUSTER_TIMEOUT:-120} ))
	check_tools || exit 1
	mkdir -p "$DIR" || { say "cannot create $DIR"; exit 1; }
	chmod 0700 "$DIR"
	PATH=$PATH:/usr/sbin
	export PATH
	load_ports || exit 1
	if [[ ! -s $DIR/db-password ]]; then
		pw=$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')
		( umask 077 && printf '%s\n' "$pw" > "$DIR/db-password" )
	fi
	read -r pw < "$DIR/db-password"

	fail() { say "start failed: $*; stopping what was started"; cmd_stop > /dev/null 2>&1; exit 1; }

	if [[ ! -d $DIR/db1/data/mysql ]]; then
		# A new cluster: node 1's datadir, its database and users, then node 1 stopped cleanly
		# and its datadir copied to nodes 2 and 3. They start at node 1's position and join
		# without a state transfer (a mariadb-backup SST takes ~30 s on a loaded 2-CPU machine).
		start_node 1 1 "$(remaining)" || fail "Galera node 1 (bootstrap)"
		node_sql 1 "CREATE DATABASE IF NOT EXISTS bursar CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
			CREATE USER IF NOT EXISTS 'bursar'@'127.0.0.1' IDENTIFIED BY '$pw';
			GRANT ALL PRIVILEGES ON *.* TO 'bursar'@'127.0.0.1';
			CREATE USER IF NOT EXISTS 'haproxy_check'@'127.0.0.1';" || fail "cannot create the database and users on node 1"
		stop_node 1
		grep -q '^safe_to_bootstrap: 1' "$DIR/db1/data/grastate.dat" 2>/dev/null ||
			fail "node 1 did not stop cleanly (no safe_to_bootstrap in its grastate.dat)"
		for i in 2 3; do
			mkdir -p "$DIR/db$i" && chmod 0700 "$DIR/db$i" && rm -rf "$DIR/db$i/data" &&
				cp -a "$DIR/db1/data" "$DIR/db$i/data" && rm -f "$DIR/db$i/data/galera.cache" &&
				sed -i 's/^safe_to_bootstrap: 1/safe_to_bootstrap: 0/' "$DIR/db$i/data/grastate.dat" ||
				fail "cannot copy node 1's datadir to node $i"
		done
	fi
	start_node 1 1 "$(remaining)" || fail "Galera node 1 (bootstrap)"
	# nodes 2 and 3 join together (IST from node 1, or nothing to transfer)
	for i in 2 3; do
		launch_node "$i" 0 || fail "Galera node $i (join)"
	done
	for i in 2 3; do
		wait_node "$i" "$(remaining)" || fail "Galera node $i (join)"
	done
	start_haproxy || fail "HAProxy"
	wait_backend db "$(remaining)" || fail "HAProxy's database front"
	for i in 1 2; do
		[[ -r $DIR/bursard$i.conf ]] || write_bursard_conf "$i" || fail "cannot write bursard$i.conf"
	done
	if [[ ! -e $DIR/seeded ]]; then
		( cd "$DIR" && timeout "$(remaining)" "$BURSARD" -c "$DIR/bursard1.conf" migrate ) > "$DIR/migrate.log" 2>&1 ||
			{ tail -n 12 "$DIR/migrate.log" | sed 's/^/    /' >&2; fail "bursard migrate"; }
		if [[ ${CLUSTER_SEED:-1} == 1 ]]; then
			( cd "$DIR" && timeout "$(remaining)" "$BURSARD" -c "$DIR/bursard1.conf" seed \
				--tokens "$DIR/tokens" --users "$DIR/users" ) > "$DIR/seed.log" 2>&1 ||
				{ tail -n 12 "$DIR/seed.log" | sed 's/^/    /' >&2; fail "bursard seed"; }
		fi
		: > "$DIR/seeded"
	fi
	for i in 1 2; do
		start_bursard "$i" "$(remaining)" || fail "bursard $i"
	done
	wait_backend bursards "$(remaining)" || fail "HAProxy's bursard front"
	write_env
	say "running: $(grep '^CLUSTER_URL=' "$DIR/cluster.env" | cut -d= -f2) (bursards behind HAProxy), database front 127.0.0.1:$DB_PROXY_PORT (${CLUSTER_DB_MODE:-single}); $DIR/cluster.env"
}

cmd_stop() {
	local i pid rc=0
	for i in 1 2; do stop_bursard "$i"; done
	if pid=$(haproxy_pid); then stop_pid "$pid" 10 || rc=1; fi
	# the joiners first, the node that bootstrapped last (it then saves safe_to_bootstrap)
	for i in 3 2 1; do stop_node "$i"; done
	kill_dir_pids "$DIR/" || rc=1
	return "$rc"
}

cmd_status() {
	local i pid state
	for i in 1 2 3; do
		if pid=$(node_pid "$i"); then state=$(node_state "$i"); else pid=-; state=down; fi
		printf 'db%s %s %s\n' "$i" "$pid" "$state"
	done
	if pid=$(haproxy_pid); then state=running; else pid=-; state=down; fi
	printf 'haproxy %s %s\n' "$pid" "$state"
	for i in 1 2; do
		if pid=$(bursard_pid "$i"); then
			if [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$(port_of "BURSARD_${i}_PORT")/readyz") == 200 ]]; then
				state=ready
			else
				state=not-ready
			fi
		else
			pid=-; state=down
		fi
		printf 'bursard%s %s %s\n' "$i" "$pid" "$state"
	done
}

node_arg() {
	[[ ${1:-} =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= $2 )) || { say "N must be 1..$2, not '${1:-}'"; exit 2; }
}

main() {
	local cmd=${1:-} pid
	case $cmd in
	start)
		set_dir "${2:-}"
		cmd_start ;;
	stop)
		set_dir "${2:-}"
		[[ -d $DIR ]] || exit 0
		[[ -r $DIR/ports ]] && source "$DIR/ports"
		cmd_stop ;;
	servers)
		set_dir "${2:-}"
		haproxy_servers ;;
	status)
		set_dir "${2:-}"
		[[ -r $DIR/ports ]] || { say "no cluster in $DIR"; exit 1; }
		source "$DIR/ports"
		cmd_status ;;
	kill-db)
		node_arg "${2:-}" "$NODES"
		set_dir "${3:-}"
		if pid=$(node_pid "$2"); then
			kill -KILL "$pid"
			wait_gone "$pid" 10 || { say "db$2 (pid $pid) survived kill -9"; exit 1; }
		fi
		# a state transfer it was part of
		kill_dir_pids "$(node_dir "$2")/" ;;
	start-db)
		node_arg "${2:-}" "$NODES"
		set_dir "${3:-}"
		PATH=$PATH:/usr/sbin
		load_ports || exit 1
		start_node "$2" 0 "${CLUSTER_TIMEOUT:-120}" || exit 1 ;;
	kill-bursard)
		node_arg "${2:-}" "$INSTANCES"
		set_dir "${3:-}"
		if pid=$(bursard_pid "$2"); then
			kill -KILL "$pid"
			wait_gone "$pid" 10 || { say "bursard $2 (pid $pid) survived kill -9"; exit 1; }
		fi ;;
	start-bursard)
		node_arg "${2:-}" "$INSTANCES"
		set_dir "${3:-}"
		load_ports || exit 1
		start_bursard "$2" "${CLUSTER_TIMEOUT:-60}" || exit 1
		# CLUSTER_REFRESH_MS may have changed the instance's cache.refresh_ms
		write_env ;;
	*)
		usage ;;
	esac
}

main "$@"
