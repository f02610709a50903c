#!/usr/bin/env bash
# etc/localdb.sh - a project-local MariaDB server: socket only, its own datadir, no systemd.
#
# As a command:   etc/localdb.sh start|stop|status|client DIR [mariadb args...]
# As a library:   source etc/localdb.sh
#                 localdb_start DIR; localdb_running DIR; localdb_client DIR [args]; localdb_stop DIR
#
# DIR (absolute or relative) holds everything:
#   DIR/my.cnf              written on every start ([mariadbd] and [client] groups)
#   DIR/data/               datadir (created by mariadb-install-db on first start)
#   DIR/run/mysqld.sock     the only way in (skip-networking)
#   DIR/tmp/                the server's temporary files
#   DIR/run/mysqld.pid
#   DIR/log/error.log       the server's log; DIR/log/install.log from mariadb-install-db
#
# Environment:
#   LOCALDB_NAME=bursar     database created on start (CREATE DATABASE IF NOT EXISTS, utf8mb4)
#   LOCALDB_THROWAWAY=1     trade durability for speed (test data only): no flush at commit,
#                           no doublewrite
#   LOCALDB_TIMEOUT=30      seconds to wait for the server to answer / to stop
#
# The server runs as the invoking user (root included), listens on no TCP port, and root
# connects over the socket without a password: DIR and DIR/run are mode 0700, so only the
# invoking user reaches the socket. It is started with setsid, so it survives the
# caller's Ctrl-C: whoever starts it must stop it (see etc/dev-run.sh for a trap).
# Status exit codes: 0 running, 3 not running. Messages go to stderr, one line each.

_localdb_msg() { printf 'localdb: %s\n' "$*" >&2; }

# Print the last lines of a log file to stderr, indented; with a byte offset, only what was
# written after it (this start's lines, not the previous run's). Fails when there is nothing.
_localdb_tail() {
	local f=$1 n=${2:-15} from=${3:-0}
	[[ -s $f ]] || return 1
	(( $(stat -c %s -- "$f") > from )) || return 1
	printf 'localdb: last lines of %s:\n' "$f" >&2
	tail -c +$(( from + 1 )) -- "$f" | tail -n "$n" | sed 's/^/    /' >&2
}

_localdb_size() { stat -c %s -- "$1" 2>/dev/null || echo 0; }

# Resolve DIR to an absolute path (it need not exist yet) and set the derived paths.
# Sets: _ldb_dir _ldb_cnf _ldb_data _ldb_sock _ldb_pid _ldb_log
_localdb_paths() {
	if [[ -z ${1:-} ]]; then
		_localdb_msg "no directory given (usage: localdb.sh start|stop|status|client DIR)"
		return 2
	fi
	_ldb_dir=$(realpath -m -- "$1") || { _localdb_msg "cannot resolve directory '$1'"; return 2; }
	_ldb_cnf=$_ldb_dir/my.cnf
	_ldb_data=$_ldb_dir/data
	_ldb_sock=$_ldb_dir/run/mysqld.sock
	_ldb_pid=$_ldb_dir/run/mysqld.pid
	_ldb_log=$_ldb_dir/log/error.log
}

# The pid in the pid file if that process is a live (not zombie) mariadbd; else fails.
_localdb_pid() {
	local pid state comm
	[[ -r $_ldb_pid ]] || return 1
	read -r pid < "$_ldb_pid" 2>/dev/null || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	[[ -r /proc/$pid/stat ]] || return 1
	read -r comm < "/proc/$pid/comm" 2>/dev/null || return 1
	[[ $comm == mariadbd || $comm == mysqld ]] || return 1
	# field 3 of /proc/PID/stat is the state; comm (field 2) is in parentheses and has no spaces here
	state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
	[[ $state != Z && $state != X ]] || return 1
	printf '%s\n' "$pid"
}

# The server answers a query over its socket.
_localdb_answers() {
	[[ -S $_ldb_sock && -r $_ldb_cnf ]] || return 1
	mariadb --defaults-file="$_ldb_cnf" --connect-timeout=2 -e 'select 1' >/dev/null 2>&1
}

_localdb_write_cnf() {
	local user tmp
	user=$(id -un) || return 1
	tmp=$_ldb_cnf.tmp.$$
	{
		printf '# Written by etc/localdb.sh on every start; edits are overwritten.\n'
		printf '[mariadbd]\n'
		printf 'user=%s\n' "$user"
		printf 'datadir=%s\n' "$_ldb_data"
		printf 'socket=%s\n' "$_ldb_sock"
		printf 'pid-file=%s\n' "$_ldb_pid"
		printf 'log-error=%s\n' "$_ldb_log"
		# its own temporary files, not the shared /tmp (another process cleaning /tmp
		# took a temporary table from under a test once)
		printf 'tmpdir=%s\n' "$_ldb_dir/tmp"
		printf 'skip-networking\n'
		printf 'character-set-server=utf8mb4\n'
		printf 'collation-server=utf8mb4_unicode_ci\n'
		printf "default-time-zone='+00:00'\n"
		printf 'innodb-buffer-pool-size=32M\n'
		printf 'innodb-log-file-size=8M\n'
		printf 'innodb-log-buffer-size=2M\n'
		printf 'aria-pagecache-buffer-size=8M\n'
		printf 'key-buffer-size=1M\n'
		printf 'innodb-use-native-aio=0\n'
		if [[ ${LOCALDB_THROWAWAY:-0} == 1 ]]; then
			printf '# LOCALDB_THROWAWAY=1: test data only\n'
			printf 'innodb-flush-log-at-trx-commit=0\n'
			printf 'innodb-doublewrite=0\n'
		fi
		printf '\n[client]\n'
		printf 'socket=%s\n' "$_ldb_sock"
		printf 'user=root\n'
		printf 'default-character-set=utf8mb4\n'
	} > "$tmp" && mv -f -- "$tmp" "$_ldb_cnf"
}

# localdb_running DIR: 0 when the pid file names a live mariadbd that answers.
localdb_running() {
	local _ldb_dir _ldb_cnf _ldb_data _ldb_sock _ldb_pid _ldb_log
	_localdb_paths "${1:-}" || return 2
	_localdb_pid >/dev/null && _localdb_answers
}

# localdb_start DIR: start the server (installing the datadir the first time) and create
# the database; a no-op when it is already running.
localdb_start() {
	local _ldb_dir _ldb_cnf _ldb_data _ldb_sock _ldb_pid _ldb_log
	local db=${LOCALDB_NAME:-bursar} timeout=${LOCALDB_TIMEOUT:-30}
	local pid launcher fresh=0 i tries logat
	_localdb_paths "${1:-}" || return 2

	if (( ${#_ldb_sock} >= 108 )); then
		_localdb_msg "socket path is ${#_ldb_sock} bytes, the limit is 107: $_ldb_sock (use a shorter DIR, e.g. mktemp -d /tmp/bursar.XXXXXX)"
		return 1
	fi
	if [[ ! $db =~ ^[A-Za-z0-9_]+$ ]]; then
		_localdb_msg "LOCALDB_NAME '$db' must be letters, digits and underscores"
		return 1
	fi
	local bin
	for bin in mariadbd mariadb mariadb-install-db setsid realpath; do
		if ! command -v "$bin" >/dev/null 2>&1 && [[ ! -x /usr/sbin/$bin ]]; then
			_localdb_msg "$bin not found (apt-get install mariadb-server mariadb-client)"
			return 1
		fi
	done
	local mariadbd=mariadbd
	command -v mariadbd >/dev/null 2>&1 || mariadbd=/usr/sbin/mariadbd

	tries=$(( timeout * 20 ))
	if pid=$(_localdb_pid); then
		# Running already (or still starting: wait for it rather than start a second one).
		for (( i = 0; i < tries; i++ )); do
			_localdb_answers && break
			_localdb_pid >/dev/null || break
			sleep 0.05
		done
		if ! _localdb_answers; then
			_localdb_msg "a server (pid $pid) holds $_ldb_pid but does not answer on $_ldb_sock"
			_localdb_tail "$_ldb_log" || true
			return 1
		fi
	else
		mkdir -p -- "$_ldb_dir/run" "$_ldb_dir/log" "$_ldb_dir/tmp" || { _localdb_msg "cannot create $_ldb_dir"; return 1; }
		# root connects over the socket without a password: only the invoking user may
		# reach the socket (mariadbd makes the socket itself world-writable)
		chmod 0700 -- "$_ldb_dir" "$_ldb_dir/run" || { _localdb_msg "cannot chmod 0700 $_ldb_dir"; return 1; }
		rm -f -- "$_ldb_pid"
		_localdb_write_cnf || { _localdb_msg "cannot write $_ldb_cnf"; return 1; }

		if [[ ! -d $_ldb_data/mysql ]]; then
			if [[ -e $_ldb_data ]] && [[ -n $(ls -A -- "$_ldb_data" 2>/dev/null) ]]; then
				_localdb_msg "$_ldb_data exists but holds no mysql/ system database; remove it or choose another DIR"
				return 1
			fi
			fresh=1
			if ! mariadb-install-db --defaults-file="$_ldb_cnf" \
					--auth-root-authentication-method=normal --skip-test-db \
					> "$_ldb_dir/log/install.log" 2>&1 < /dev/null; then
				_localdb_msg "mariadb-install-db failed for $_ldb_data"
				_localdb_tail "$_ldb_dir/log/install.log" || true
				rm -rf -- "$_ldb_data"
				return 1
			fi
		fi

		# -w: when setsid has to fork (caller has job control) it waits, so $! lives as long
		# as the server; without a fork it simply execs mariadbd.
		logat=$(_localdb_size "$_ldb_log")
		setsid -w "$mariadbd" --defaults-file="$_ldb_cnf" < /dev/null >> "$_ldb_dir/log/mariadbd.out" 2>&1 &
		launcher=$!
		for (( i = 0; i < tries; i++ )); do
			_localdb_answers && break
			if ! kill -0 "$launcher" 2>/dev/null; then
				wait "$launcher" 2>/dev/null || true
				_localdb_msg "mariadbd exited during start-up (DIR $_ldb_dir)"
				_localdb_tail "$_ldb_log" 15 "$logat" ||
					_localdb_tail "$_ldb_dir/log/mariadbd.out" 15 || true
				return 1
			fi
			sleep 0.05
		done
		if ! _localdb_answers; then
			_localdb_msg "mariadbd did not answer on $_ldb_sock within ${timeout}s (pid file $_ldb_pid)"
			_localdb_tail "$_ldb_log" 15 "$logat" || true
			# Leave nothing behind: ask the half-started server to stop.
			if pid=$(_localdb_pid); then kill -TERM "$pid" 2>/dev/null || true; fi
			kill -TERM "$launcher" 2>/dev/null || true
			return 1
		fi
		disown "$launcher" 2>/dev/null || true
	fi

	if ! mariadb --defaults-file="$_ldb_cnf" -e \
			"CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" 2>"$_ldb_dir/log/client.err"; then
		_localdb_msg "cannot create database $db: $(tr '\n' ' ' < "$_ldb_dir/log/client.err")"
		return 1
	fi
	rm -f -- "$_ldb_dir/log/client.err"
	(( fresh )) && _localdb_msg "installed a new datadir in $_ldb_data"
	return 0
}

# localdb_stop DIR: SIGTERM the server named by the pid file and wait for the pid file
# to go; a no-op when it is not running.
localdb_stop() {
	local _ldb_dir _ldb_cnf _ldb_data _ldb_sock _ldb_pid _ldb_log
	local timeout=${LOCALDB_TIMEOUT:-30} pid i tries
	_localdb_paths "${1:-}" || return 2
	if ! pid=$(_localdb_pid); then
		# Nothing alive: a pid file left by a crash (or a reused pid) is stale.
		[[ -e $_ldb_pid ]] && rm -f -- "$_ldb_pid"
		return 0
	fi
	if ! kill -TERM "$pid" 2>/dev/null; then
		_localdb_msg "cannot signal mariadbd pid $pid (from $_ldb_pid)"
		return 1
	fi
	tries=$(( timeout * 20 ))
	for (( i = 0; i < tries; i++ )); do
		[[ -e $_ldb_pid ]] || return 0
		# Gone without removing its pid file (killed): done as well.
		_localdb_pid >/dev/null || { rm -f -- "$_ldb_pid"; return 0; }
		sleep 0.05
	done
	_localdb_msg "mariadbd pid $pid did not stop within ${timeout}s"
	_localdb_tail "$_ldb_log" || true
	return 1
}

# localdb_client DIR [mariadb args...]: the mariadb client as root over the socket.
localdb_client() {
	local _ldb_dir _ldb_cnf _ldb_data _ldb_sock _ldb_pid _ldb_log
	_localdb_paths "${1:-}" || return 2
	shift
	if [[ ! -r $_ldb_cnf ]]; then
		_localdb_msg "no $_ldb_cnf: start the server first (localdb.sh start $_ldb_dir)"
		return 1
	fi
	mariadb --defaults-file="$_ldb_cnf" "$@"
}

_localdb_main() {
	local cmd=${1:-} _ldb_dir _ldb_cnf _ldb_data _ldb_sock _ldb_pid _ldb_log pid
	case $cmd in
	start)
		localdb_start "${2:-}" || exit 1
		_localdb_paths "$2" && _localdb_msg "running (pid $(_localdb_pid)), socket $_ldb_sock"
		;;
	stop)
		localdb_stop "${2:-}" || exit 1
		;;
	status)
		_localdb_paths "${2:-}" || exit 2
		if pid=$(_localdb_pid) && _localdb_answers; then
			printf 'running (pid %s), socket %s\n' "$pid" "$_ldb_sock"
			exit 0
		elif [[ -n ${pid:-} ]]; then
			printf 'not answering (pid %s), socket %s\n' "$pid" "$_ldb_sock"
			exit 1
		fi
		printf 'not running (%s)\n' "$_ldb_dir"
		exit 3
		;;
	client)
		_localdb_paths "${2:-}" || exit 2
		shift 2
		[[ -r $_ldb_cnf ]] || { _localdb_msg "no $_ldb_cnf: start the server first"; exit 1; }
		exec mariadb --defaults-file="$_ldb_cnf" "$@"
		;;
	*)
		printf 'usage: %s start|stop|status|client DIR [mariadb args...]\n' "${0##*/}" >&2
		exit 2
		;;
	esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -uo pipefail
	_localdb_main "$@"
fi
