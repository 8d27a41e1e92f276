#!/usr/bin/env bash
# Clocktower integration lab: a real Slurm 22.05 cluster (two slurmd nodes plus two
# nodes in non-idle states), NATS with JetStream and sshd, all on one Debian 12 host,
# all on loopback.  See deploy/lab/README.md.
#
#   lab.sh up       start (or repair) the lab; no-op when it is already fully up
#                   (except that it renews the slurmrestd token when it is a day old)
#   lab.sh down     stop the daemons this lab started; keeps config and data
#   lab.sh status   print each component; exit 0 only if all of them are up
#
# There is no systemd/init on these machines: every daemon runs in the foreground
# in its own session, with its PID in $LAB_DIR/pids and its output in $LAB_DIR/logs.
set -euo pipefail

LAB_DIR=${CLOCKTOWER_LAB_DIR:-/var/tmp/clocktower-lab}
PID_DIR=$LAB_DIR/pids
LOG_DIR=$LAB_DIR/logs
LAB_JSON=$LAB_DIR/lab.json
SSH_DIR=$LAB_DIR/ssh
DB_DIR=$LAB_DIR/mariadb
DB_SOCKET=$DB_DIR/mariadb.sock
DB_CNF=$LAB_DIR/etc/mariadb.cnf
SLURM_DIR=$LAB_DIR/slurm
NATS_STORE=$LAB_DIR/nats
# Slurm only looks in its compiled-in directory unless SLURM_CONF is set everywhere
# (including in ssh sessions), so the lab owns /etc/slurm on this machine.
SLURM_CONF_DIR=/etc/slurm
READY_TIMEOUT=${CLOCKTOWER_LAB_TIMEOUT:-60}

CLUSTER=lab
PARTITION=debug
NODES=(node01 node02)
DOWN_NODE=node03
DRAINED_NODE=node04
SSH_USER=ctlab
REST_USER=slurmrestd            # slurmrestd refuses to run as root or SlurmUser
REST_DIR=$LAB_DIR/slurmrestd
JWT_KEY=$LAB_DIR/etc/jwt_hs256.key
REST_TOKEN=$REST_DIR/$SSH_USER.token
REST_TOKEN_LIFESPAN=$((7 * 86400))   # seconds; up renews it once it is a day old
REST_OPENAPI=v0.0.38
NATS_PORT=14222
NATS_HTTP_PORT=18222
DB_PORT=13306
SLURMCTLD_PORT=6817
SLURMDBD_PORT=6819
SSH_PORT=2222
REST_PORT=6830

# name -> process name (as in /proc/PID/comm) and TCP port it listens on
COMPONENTS=(nats munged mariadb slurmdbd slurmctld slurmd-node01 slurmd-node02 slurmrestd sshd)
declare -A COMM=([nats]=nats-server [munged]=munged [mariadb]=mariadbd [slurmdbd]=slurmdbd
  [slurmctld]=slurmctld [slurmd-node01]=slurmd [slurmd-node02]=slurmd [slurmrestd]=slurmrestd
  [sshd]=sshd)
# Slurm's own PID files: stale ones make the Debian slurmctld prerm script (apt-get remove) fail.
declare -A SLURM_PIDFILE=([slurmdbd]=/run/slurmdbd.pid [slurmctld]=/run/slurmctld.pid
  [slurmd-node01]=/run/slurmd-node01.pid [slurmd-node02]=/run/slurmd-node02.pid)
declare -A PORT=([nats]=$NATS_PORT [mariadb]=$DB_PORT [slurmdbd]=$SLURMDBD_PORT
  [slurmctld]=$SLURMCTLD_PORT [slurmd-node01]=6818 [slurmd-node02]=6820 [slurmrestd]=$REST_PORT
  [sshd]=$SSH_PORT)

PACKAGES=(munge slurmctld slurmd slurm-client slurmdbd mariadb-server openssh-server nats-server
  slurmrestd slurm-wlm-jwt-plugin)
REQUIRED_BINARIES=(/usr/sbin/munged /usr/bin/munge /usr/sbin/slurmctld /usr/sbin/slurmd
  /usr/sbin/slurmdbd /usr/bin/sinfo /usr/bin/sacctmgr /usr/sbin/mariadbd /usr/bin/mariadb
  /usr/bin/mariadb-install-db /usr/sbin/sshd /usr/bin/ssh-keygen /usr/sbin/nats-server
  /usr/sbin/slurmrestd /usr/bin/curl)
# Plugins are not binaries: auth/jwt comes in its own package (slurm-wlm-jwt-plugin).
REQUIRED_PLUGINS=(auth_jwt.so rest_auth_jwt.so "openapi_${REST_OPENAPI//./_}.so" "openapi_db${REST_OPENAPI//./_}.so")

declare -A CHANGED=()   # components whose config changed during this run
STARTED=()              # components started during this run

# ---------------------------------------------------------------- helpers

now_us() { local t=$EPOCHREALTIME; echo "${t/[.,]/}"; }
T0=$(now_us)
secs_since() { local d=$(( $(now_us) - $1 )); printf '%d.%01d' $((d / 1000000)) $((d % 1000000 / 100000)); }
say() { printf '[lab %5ss] %s\n' "$(secs_since "$T0")" "$*"; }

die() { printf '[lab %5ss] FAILED: %s\n' "$(secs_since "$T0")" "$*" >&2; exit 1; }

# fail COMPONENT[,COMPONENT...] MESSAGE: report, show the tail of each log, exit non-zero.
fail() {
  local comps=$1 msg=$2 c log
  printf '[lab %5ss] FAILED: %s: %s\n' "$(secs_since "$T0")" "$comps" "$msg" >&2
  for c in ${comps//,/ }; do
    log=$LOG_DIR/$c.log
    [[ -s $log ]] || continue
    printf -- '----- last 30 lines of %s -----\n' "$log" >&2
    tail -n 30 "$log" >&2
  done
  exit 1
}

require_root() { [[ $EUID -eq 0 ]] || { echo "lab.sh must run as root" >&2; exit 1; }; }

# Serialise concurrent up/down calls (e.g. several test runners starting the lab at once).
# Everything lab.sh starts must close LOCK_FD, or a daemon would hold the lock forever.
lock_lab() {
  install -d -m 755 "$LAB_DIR"
  exec {LOCK_FD}>"$LAB_DIR/.lock"
  flock -w 300 "$LOCK_FD" || die "another lab.sh has held $LAB_DIR/.lock for 300s"
}

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

# pid_of NAME: print the PID of the lab's NAME daemon if it is alive.  The process name
# is checked so a recycled PID is not mistaken for ours, and zombies count as gone
# (PID 1 here is not a real init and may never reap orphans).
pid_of() {
  local file=$PID_DIR/$1.pid pid stat comm state
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  comm=${stat#*(}; comm=${comm%)*}
  state=${stat##*) }; state=${state%% *}
  [[ $comm == "${COMM[$1]}" && $state != Z ]] || return 1
  echo "$pid"
}
is_running() { pid_of "$1" >/dev/null; }

# Read /proc/net/tcp rather than connecting: a probe connection to slurmdbd is logged as an error.
port_listening() {
  local hex
  printf -v hex ':%04X' "$1"
  awk -v p="$hex" 'FNR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { found = 1 }
    END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

component_up() {
  is_running "$1" || return 1
  [[ -z ${PORT[$1]:-} ]] || port_listening "${PORT[$1]}"
}

# spawn NAME CMD...: start CMD in its own session (so it outlives this script and is not
# hit by signals sent to the caller's process group), output appended to logs/NAME.log.
spawn() {
  local name=$1 pidfile=$PID_DIR/$1.pid log=$LOG_DIR/$1.log start
  shift
  rm -f "$pidfile"
  printf '\n===== %s lab.sh: %s\n' "$(date -Is)" "$*" >>"$log"
  # The child records its own PID before exec, so it is the daemon's PID even if setsid forks.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$log" 2>&1 </dev/null {LOCK_FD}>&- &
  start=$(now_us)
  until [[ -s $pidfile ]]; do
    (( $(now_us) - start < 5000000 )) || fail "$name" "did not start"
    sleep 0.02
  done
  STARTED+=("$name")
}

# wait_until DESCRIPTION COMPONENT[,COMPONENT...] CHECK...: poll CHECK until it succeeds.
# Fails early if one of the components' daemons dies, or after READY_TIMEOUT seconds.
wait_until() {
  local desc=$1 comps=$2 start next c
  shift 2
  "$@" >/dev/null 2>&1 && return 0
  start=$(now_us); next=0
  say "waiting for $desc ..."
  until "$@" >/dev/null 2>&1; do
    for c in ${comps//,/ }; do
      [[ -z ${COMM[$c]:-} ]] || is_running "$c" || fail "$comps" "$c exited while waiting for $desc"
    done
    local waited=$(( ($(now_us) - start) / 1000000 ))
    (( waited < READY_TIMEOUT )) || fail "$comps" "timed out after ${READY_TIMEOUT}s waiting for $desc"
    if (( waited >= next + 5 )); then next=$waited; say "  still waiting for $desc (${waited}s)"; fi
    sleep 0.1
  done
  say "$desc: ok ($(secs_since "$start")s)"
}

# write_file PATH MODE OWNER [COMPONENT...] < content: replace PATH only if the content
# differs, and mark the components that read it as needing a restart.
write_file() {
  local path=$1 mode=$2 owner=$3 tmp c
  shift 3
  tmp=$(mktemp "$path.XXXXXX")
  cat >"$tmp"
  chmod "$mode" "$tmp"; chown "$owner" "$tmp"
  if [[ -f $path ]] && cmp -s "$tmp" "$path"; then
    rm -f "$tmp"
    chmod "$mode" "$path"; chown "$owner" "$path"
    return 0
  fi
  mv -f "$tmp" "$path"
  for c in "$@"; do CHANGED[$c]=1; done
}

# stop NAME: SIGTERM the lab's daemon, wait for it to exit, SIGKILL after 20s.
stop() {
  local name=$1 pid start
  if ! pid=$(pid_of "$name"); then rm -f "$PID_DIR/$name.pid"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  start=$(now_us)
  while is_running "$name"; do
    if (( $(now_us) - start > 20000000 )); then
      say "$name (pid $pid) ignored SIGTERM for 20s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
      break
    fi
    sleep 0.05
  done
  rm -f "$PID_DIR/$name.pid" ${SLURM_PIDFILE[$name]:+"${SLURM_PIDFILE[$name]}"}
  say "stopped $name (pid $pid)"
}

# ensure NAME START_FUNCTION: start NAME unless it already runs with an unchanged config.
ensure() {
  local name=$1 starter=$2
  if is_running "$name"; then
    [[ -n ${CHANGED[$name]:-} ]] || return 0
    say "$name: configuration changed, restarting"
    stop "$name"
  fi
  if [[ -n ${PORT[$name]:-} ]] && port_listening "${PORT[$name]}"; then
    die "$name: port ${PORT[$name]} is already used by a process that is not this lab's $name (see: ss -ltnp)"
  fi
  "$starter"
}

# ---------------------------------------------------------------- host preparation

ensure_packages() {
  local missing=() b
  for b in "${REQUIRED_BINARIES[@]}"; do [[ -x $b ]] || missing+=("${b##*/}"); done
  for b in "${REQUIRED_PLUGINS[@]}"; do compgen -G "/usr/lib/*/slurm-wlm/$b" >/dev/null || missing+=("$b"); done
  (( ${#missing[@]} )) || return 0
  say "installing ${PACKAGES[*]} (missing: ${missing[*]}) ..."
  local start; start=$(now_us)
  export DEBIAN_FRONTEND=noninteractive
  {
    apt-get update -q &&
      apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${PACKAGES[@]}"
  } >>"$LOG_DIR/apt.log" 2>&1 </dev/null {LOCK_FD}>&- || fail apt "apt-get failed"
  say "packages installed ($(secs_since "$start")s)"
}

ensure_users() {
  getent passwd slurm >/dev/null ||
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin slurm
  getent passwd "$SSH_USER" >/dev/null || useradd --create-home --shell /bin/bash "$SSH_USER"
  getent passwd "$REST_USER" >/dev/null ||
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$REST_USER"
  # useradd leaves the account locked ("!" in shadow) and sshd refuses even key logins then.
  if [[ $(getent shadow "$SSH_USER" | cut -d: -f2) == '!'* ]]; then usermod -p '*' "$SSH_USER"; fi
}

prepare_dirs() {
  install -d -m 755 "$LAB_DIR" "$PID_DIR" "$LOG_DIR" "$LAB_DIR/etc" "$SSH_DIR" "$SLURM_CONF_DIR"
  install -d -m 755 /run/sshd
  install -d -o munge -g munge -m 755 /run/munge
  install -d -o munge -g munge -m 700 /var/lib/munge /var/log/munge
  install -d -o mysql -g mysql -m 750 "$DB_DIR"
  install -d -o slurm -g slurm -m 755 "$SLURM_DIR"
  install -d -o slurm -g slurm -m 700 "$SLURM_DIR/state"
  install -d -m 755 "$SLURM_DIR/spool" "${NODES[@]/#/$SLURM_DIR/spool/}"
  install -d -m 755 "$NATS_STORE"
  install -d -m 700 "$REST_DIR"
}

# A lab whose daemons are all stopped starts clean: no Slurm jobs or node states, no
# accounting history (job ids restart at 1, so old records would collide), no streams.
reset_data() {
  say "fresh start: clearing Slurm state, accounting database and JetStream store"
  rm -rf "$SLURM_DIR/state" "$SLURM_DIR/spool" "$NATS_STORE"
  RESET_ACCOUNTING=1
  prepare_dirs
}

ensure_munge_key() {
  local key=/etc/munge/munge.key
  if [[ ! -s $key ]]; then
    mungekey --create --keyfile="$key"
    CHANGED[munged]=1
  fi
  # munged refuses a key that others can read.
  chown munge:munge "$key"
  chmod 400 "$key"
}

# slurmctld and slurmdbd sign and check slurmrestd's JWTs (HS256) with this key; only they
# (user slurm) and root may read it.
ensure_jwt_key() {
  if [[ ! -s $JWT_KEY ]]; then
    (umask 077; dd if=/dev/urandom of="$JWT_KEY" bs=32 count=1 status=none)
    CHANGED[slurmctld]=1; CHANGED[slurmdbd]=1
  fi
  chown slurm:slurm "$JWT_KEY"
  chmod 600 "$JWT_KEY"
}

# ---------------------------------------------------------------- configuration

db_password() {
  local f=$LAB_DIR/etc/mariadb-slurm.password
  if [[ ! -s $f ]]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$f")
  fi
  cat "$f"
}

write_nats_conf() {
  write_file "$LAB_DIR/etc/nats.conf" 644 root:root nats <<EOF
# Generated by deploy/lab/lab.sh
server_name: clocktower-lab
listen: 127.0.0.1:$NATS_PORT
http: 127.0.0.1:$NATS_HTTP_PORT
jetstream {
  store_dir: "$NATS_STORE"
}
EOF
}

# The lab's own MariaDB (own datadir, socket and port).  --defaults-file keeps the system's
# /etc/mysql config, and so the system MariaDB on 3306, out of it.
write_mariadb_conf() {
  write_file "$DB_CNF" 644 root:root mariadb <<EOF
# Generated by deploy/lab/lab.sh
[client]
socket = $DB_SOCKET

[mysqld]
datadir = $DB_DIR/data
socket = $DB_SOCKET
pid-file = $DB_DIR/mariadbd.pid
port = $DB_PORT
bind-address = 127.0.0.1
skip-name-resolve
# slurmdbd logs an error unless these are at least half of its recommendations.
innodb_buffer_pool_size = 512M
innodb_lock_wait_timeout = 900
innodb_log_file_size = 64M
innodb_flush_log_at_trx_commit = 2
EOF
}

write_slurm_conf() {
  local conf=$SLURM_CONF_DIR/slurm.conf marker='# Generated by Clocktower deploy/lab/lab.sh'
  if [[ -f $conf ]] && ! grep -qF "$marker" "$conf" && [[ ! -e $conf.pre-lab ]]; then
    cp -p "$conf" "$conf.pre-lab"
    say "kept the previous $conf as $conf.pre-lab"
  fi
  write_file "$conf" 644 root:root slurmctld slurmdbd slurmd-node01 slurmd-node02 slurmrestd <<EOF
$marker for the lab in $LAB_DIR.
# Do not edit: rerun lab.sh up.  No *LogFile settings: every daemon runs in the foreground
# and lab.sh sends its output to $LOG_DIR.
ClusterName=$CLUSTER
SlurmctldHost=localhost
SlurmctldPort=$SLURMCTLD_PORT
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# JWT as a second authentication type, for slurmrestd (rest_auth/jwt).
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$JWT_KEY
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool/%n
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd-%n.pid
# Bind slurmctld and slurmd to what the host name resolves to (127.0.0.1), not to all
# interfaces.  slurmdbd has no such option in 22.05 and listens on 0.0.0.0.
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without a default, every job would get a node's whole memory and run alone on it.
DefMemPerCPU=100
# Both nodes share this host's few cores; advertise more CPUs than there are.
SlurmdParameters=config_overrides
ReturnToService=2
MailProg=/bin/true
MinJobAge=300
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=300
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/linux
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=$SLURMDBD_PORT
AccountingStoreFlags=job_comment
JobCompType=jobcomp/none
SlurmctldDebug=info
SlurmdDebug=info

# Two real nodes, each served by its own slurmd (-N) on its own port.  node03 and node04
# have no slurmd: lab.sh marks them down and drained, in their own partition.
NodeName=node01 NodeHostname=localhost NodeAddr=127.0.0.1 Port=6818 CPUs=8 RealMemory=4000 Feature=lab,cpu
NodeName=node02 NodeHostname=localhost NodeAddr=127.0.0.1 Port=6820 CPUs=8 RealMemory=4000 Feature=lab,cpu
NodeName=node03 NodeHostname=localhost NodeAddr=127.0.0.1 Port=6822 CPUs=8 RealMemory=4000 Feature=lab,spare
NodeName=node04 NodeHostname=localhost NodeAddr=127.0.0.1 Port=6824 CPUs=8 RealMemory=4000 Feature=lab,spare
PartitionName=debug Nodes=node[01-02] Default=YES MaxTime=60 State=UP
PartitionName=long Nodes=node[01-02] MaxTime=1440 State=UP
PartitionName=spare Nodes=node[03-04] MaxTime=60 State=UP
EOF
}

write_slurmdbd_conf() {
  # slurmdbd exits unless its config is mode 600 and owned by SlurmUser.
  write_file "$SLURM_CONF_DIR/slurmdbd.conf" 600 slurm:slurm slurmdbd <<EOF
# Generated by Clocktower deploy/lab/lab.sh for the lab in $LAB_DIR.
AuthType=auth/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$JWT_KEY
DbdHost=localhost
DbdPort=$SLURMDBD_PORT
SlurmUser=slurm
PidFile=/run/slurmdbd.pid
DebugLevel=info
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$DB_PORT
StorageUser=slurm
StoragePass=$(db_password)
StorageLoc=slurm_acct_db
EOF
}

ensure_ssh_keys() {
  local host=$SSH_DIR/ssh_host_ed25519_key client=$SSH_DIR/${SSH_USER}_ed25519
  if [[ ! -s $host || ! -s $host.pub ]]; then
    rm -f "$host" "$host.pub"
    ssh-keygen -q -t ed25519 -N '' -C clocktower-lab-host -f "$host"
    CHANGED[sshd]=1
  fi
  if [[ ! -s $client || ! -s $client.pub ]]; then
    rm -f "$client" "$client.pub"
    ssh-keygen -q -t ed25519 -N '' -C clocktower-lab -f "$client"
  fi
  chmod 600 "$host" "$client"

  write_file "$SSH_DIR/known_hosts" 644 root:root <<<"[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$host.pub")"

  # Replace the lab's key (comment "clocktower-lab") in ctlab's authorized_keys, keep others.
  local home auth
  home=$(getent passwd "$SSH_USER" | cut -d: -f6)
  auth=$home/.ssh/authorized_keys
  install -d -o "$SSH_USER" -g "$SSH_USER" -m 700 "$home/.ssh"
  { [[ -f $auth ]] && grep -v ' clocktower-lab$' "$auth" || true; cat "$client.pub"; } |
    write_file "$auth" 600 "$SSH_USER:$SSH_USER"
}

write_sshd_config() {
  write_file "$SSH_DIR/sshd_config" 644 root:root sshd <<EOF
# Generated by deploy/lab/lab.sh
ListenAddress 127.0.0.1
Port $SSH_PORT
HostKey $SSH_DIR/ssh_host_ed25519_key
PidFile none
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AuthorizedKeysFile .ssh/authorized_keys
StrictModes yes
X11Forwarding no
PrintMotd no
# Tests open many connections at once.
MaxStartups 100:30:200
MaxSessions 64
Subsystem sftp internal-sftp
EOF
}

# ---------------------------------------------------------------- daemons

start_nats() { spawn nats /usr/sbin/nats-server -c "$LAB_DIR/etc/nats.conf"; }

start_munged() {
  # munged refuses to run as root; setpriv execs in place, so the PID stays munged's.
  spawn munged setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground
}
munge_works() { munge -n </dev/null | unmunge >/dev/null; }

start_mariadb() {
  if [[ ! -e $DB_DIR/data/.lab-initialised ]]; then
    say "initialising MariaDB datadir $DB_DIR/data"
    rm -rf "$DB_DIR/data"
    mariadb-install-db --defaults-file="$DB_CNF" --user=mysql --skip-test-db \
      --auth-root-authentication-method=socket >>"$LOG_DIR/mariadb.log" 2>&1 </dev/null ||
      fail mariadb "mariadb-install-db failed"
    touch "$DB_DIR/data/.lab-initialised"
  fi
  spawn mariadb /usr/sbin/mariadbd --defaults-file="$DB_CNF" --user=mysql
}
sql() { mariadb --defaults-file="$DB_CNF" -u root -N -B -e "$1"; }
mariadb_ready() { sql 'SELECT 1'; }

setup_accounting_db() {
  local pw; pw=$(db_password)
  if [[ -n ${RESET_ACCOUNTING:-} ]]; then sql 'DROP DATABASE IF EXISTS slurm_acct_db'; fi
  # With --skip-name-resolve, TCP from 127.0.0.1 only matches a '127.0.0.1' host.
  sql "CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$pw';
       ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$pw';
       GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';" ||
    fail mariadb "could not create the slurm database user"
}

start_slurmdbd() { spawn slurmdbd /usr/sbin/slurmdbd -D; }
start_slurmctld() { spawn slurmctld /usr/sbin/slurmctld -D; }
start_slurmd_node01() { spawn slurmd-node01 /usr/sbin/slurmd -D -N node01; }
start_slurmd_node02() { spawn slurmd-node02 /usr/sbin/slurmd -D -N node02; }

# SLURM_JWT=daemon: slurmrestd forwards each client's token instead of using munge.
# env and setpriv exec in place, so the PID in the pid file stays slurmrestd's. Its working
# directory is / because a job submitted without current_working_directory runs there.
start_slurmrestd() {
  spawn slurmrestd env -C / SLURM_JWT=daemon setpriv --reuid="$REST_USER" --regid="$REST_USER" --init-groups \
    /usr/sbin/slurmrestd -a rest_auth/jwt -s "openapi/$REST_OPENAPI,openapi/db$REST_OPENAPI" "127.0.0.1:$REST_PORT"
}

# A token for $SSH_USER, renewed when missing, a day old, or older than the signing key.
ensure_rest_token() {
  if [[ -s $REST_TOKEN && $REST_TOKEN -nt $JWT_KEY && -z $(find "$REST_TOKEN" -mmin +1440) ]]; then
    return 0
  fi
  local out tmp
  out=$(scontrol token username="$SSH_USER" lifespan="$REST_TOKEN_LIFESPAN" 2>&1) ||
    fail slurmctld "scontrol token failed: $out"
  [[ $out == SLURM_JWT=* ]] || fail slurmctld "unexpected scontrol token output"
  tmp=$(mktemp "$REST_TOKEN.XXXXXX")
  printf '%s\n' "${out#SLURM_JWT=}" >"$tmp"
  chmod 600 "$tmp"
  mv -f "$tmp" "$REST_TOKEN"
  say "renewed the slurmrestd token for $SSH_USER (valid $((REST_TOKEN_LIFESPAN / 86400)) days)"
}

rest_get() {
  curl -sf --max-time 5 -H "X-SLURM-USER-NAME: $SSH_USER" -H "X-SLURM-USER-TOKEN: $(<"$REST_TOKEN")" \
    "http://127.0.0.1:$REST_PORT$1"
}
# Both halves answer with the token: slurmctld (ping) and slurmdbd (accounting; 22.05 takes
# Slurm's time syntax here, not a Unix time, and answers "Nothing found" as 200 with an error).
slurmrestd_ready() {
  rest_get "/slurm/$REST_OPENAPI/ping" | grep -q '"UP"' &&
    rest_get "/slurmdb/$REST_OPENAPI/jobs?start_time=now-1minutes" | grep -q "dbv${REST_OPENAPI#v}"
}

start_sshd() {
  /usr/sbin/sshd -t -f "$SSH_DIR/sshd_config" >>"$LOG_DIR/sshd.log" 2>&1 || fail sshd "invalid sshd_config"
  spawn sshd /usr/sbin/sshd -D -e -f "$SSH_DIR/sshd_config"
}

# Register the cluster before slurmctld starts, or slurmctld races to register it itself.
ensure_cluster_registered() {
  local clusters
  clusters=$(sacctmgr -n -P list cluster format=cluster 2>&1) || fail slurmdbd "sacctmgr failed: $clusters"
  grep -qx "$CLUSTER" <<<"$clusters" && return 0
  sacctmgr -i add cluster "$CLUSTER" >>"$LOG_DIR/slurmdbd.log" 2>&1 || fail slurmdbd "sacctmgr add cluster failed"
}

slurmd_ports_listening() {
  local n
  for n in "${NODES[@]}"; do port_listening "${PORT[slurmd-$n]}" || return 1; done
}
slurmctld_ready() { port_listening "$SLURMCTLD_PORT" && scontrol ping | grep -q 'is UP'; }
sacct_answers() { sacct -n -X -S now-1minutes -o JobID; }

# A node in two partitions gets a line per partition; the state is the same on each.
node_state() { local s; s=$(sinfo -h -N -n "$1" -o %t) || return 1; echo "${s%%$'\n'*}"; }
# node01/node02 are usable: responding (no "*") and not down/drained.
nodes_ready() {
  local n
  for n in "${NODES[@]}"; do [[ $(node_state "$n") =~ ^(idle|mix|alloc|comp)$ ]] || return 1; done
}

# Tests may leave node01/node02 drained or down; a running lab puts them back in service.
resume_lab_nodes() {
  local n
  for n in "${NODES[@]}"; do
    if [[ $(node_state "$n") =~ ^(drain|drng|down$) ]]; then
      say "resuming $n (was $(node_state "$n"))"
      scontrol update nodename="$n" state=resume || fail slurmctld "could not resume $n"
    fi
  done
}

set_spare_node_states() {
  if [[ $(node_state "$DOWN_NODE") != down* ]]; then
    scontrol update nodename="$DOWN_NODE" state=down reason="lab: no slurmd" ||
      fail slurmctld "could not set $DOWN_NODE down"
  fi
  if [[ ! $(node_state "$DRAINED_NODE") =~ ^drain ]]; then
    scontrol update nodename="$DRAINED_NODE" state=drain reason="lab: drained for tests" ||
      fail slurmctld "could not drain $DRAINED_NODE"
  fi
}

# ---------------------------------------------------------------- ssh checks

ssh_ctlab() {
  ssh -F /dev/null -i "$SSH_DIR/${SSH_USER}_ed25519" -o IdentitiesOnly=yes \
    -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o StrictHostKeyChecking=yes \
    -o BatchMode=yes -o ConnectTimeout=5 -p "$SSH_PORT" "$SSH_USER@127.0.0.1" "$@" </dev/null
}
job_completed() { [[ $(sacct -n -X -P -j "$1" -o State) == COMPLETED ]]; }

# End-to-end check: ctlab logs in with the lab key, sees the cluster, and runs a job.
smoke_test() {
  local out jobid
  wait_until "ssh login as $SSH_USER" sshd ssh_ctlab true
  out=$(ssh_ctlab sinfo -h -p "$PARTITION" -o %D 2>&1) || fail sshd "sinfo over ssh failed: $out"
  jobid=$(ssh_ctlab sbatch --parsable -J lab-smoke -o /dev/null --wrap true 2>&1) ||
    fail slurmctld "sbatch over ssh failed: $jobid"
  [[ $jobid =~ ^[0-9]+$ ]] || fail slurmctld "unexpected sbatch output: $jobid"
  wait_until "smoke job $jobid COMPLETED in sacct" slurmctld,slurmdbd,slurmd-node01,slurmd-node02 job_completed "$jobid"
}

# ---------------------------------------------------------------- lab.json

write_lab_json() {
  local version host_key fingerprint tmp
  version=$(sinfo --version | awk '{print $NF}')
  host_key=$(cut -d' ' -f1,2 "$SSH_DIR/ssh_host_ed25519_key.pub")
  fingerprint=$(ssh-keygen -l -E sha256 -f "$SSH_DIR/ssh_host_ed25519_key.pub" | awk '{print $2}')
  tmp=$(mktemp "$LAB_DIR/.lab.json.XXXXXX")
  cat >"$tmp" <<EOF
{
  "nats": { "url": "nats://127.0.0.1:$NATS_PORT" },
  "slurm": {
    "cluster": "$CLUSTER",
    "version": "$version",
    "partition": "$PARTITION",
    "nodes": ["node01", "node02"],
    "downNodes": ["$DOWN_NODE"],
    "drainedNodes": ["$DRAINED_NODE"],
    "confDir": "$SLURM_CONF_DIR"
  },
  "ssh": {
    "host": "127.0.0.1",
    "port": $SSH_PORT,
    "user": "$SSH_USER",
    "privateKeyPath": $(json_str "$SSH_DIR/${SSH_USER}_ed25519"),
    "knownHostsPath": $(json_str "$SSH_DIR/known_hosts"),
    "hostKey": "$host_key",
    "hostKeySha256": "$fingerprint"
  },
  "mariadb": { "host": "127.0.0.1", "port": $DB_PORT },
  "slurmrestd": {
    "url": "http://127.0.0.1:$REST_PORT",
    "openapiVersion": "$REST_OPENAPI",
    "user": "$SSH_USER",
    "tokenPath": $(json_str "$REST_TOKEN")
  },
  "startedAt": "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
}
EOF
  chmod 644 "$tmp"
  mv -f "$tmp" "$LAB_JSON"
}

print_summary() {
  local how=$1
  cat <<EOF
lab $how in $(secs_since "$T0")s${STARTED[*]:+ (started: ${STARTED[*]})}
  nats     nats://127.0.0.1:$NATS_PORT (JetStream; monitoring http://127.0.0.1:$NATS_HTTP_PORT)
  slurm    cluster $CLUSTER, partition $PARTITION: ${NODES[*]}; $DOWN_NODE down, $DRAINED_NODE drained (partition spare); config $SLURM_CONF_DIR
  mariadb  127.0.0.1:$DB_PORT (accounting for slurmdbd)
  rest     http://127.0.0.1:$REST_PORT (slurmrestd, OpenAPI $REST_OPENAPI, JWT for $SSH_USER in $REST_TOKEN)
  ssh      $SSH_USER@127.0.0.1:$SSH_PORT, key $SSH_DIR/${SSH_USER}_ed25519
  details  $LAB_JSON
  logs     $LOG_DIR/
EOF
}

# ---------------------------------------------------------------- commands

all_up() {
  local c
  for c in "${COMPONENTS[@]}"; do component_up "$c" || return 1; done
}

cmd_up() {
  require_root
  lock_lab
  install -d -m 755 "$LOG_DIR"
  ensure_packages
  ensure_users
  prepare_dirs
  ensure_munge_key
  ensure_jwt_key
  ensure_ssh_keys
  write_nats_conf
  write_mariadb_conf
  write_slurm_conf
  write_slurmdbd_conf
  write_sshd_config

  if [[ -s $LAB_JSON ]] && (( ${#CHANGED[@]} == 0 )) && all_up && nodes_ready 2>/dev/null; then
    ensure_rest_token
    say "lab already up (since $(sed -n 's/.*"startedAt": "\(.*\)".*/\1/p' "$LAB_JSON"))"
    print_summary "already up, checked"
    return 0
  fi
  rm -f "$LAB_JSON"

  local c fresh=1
  for c in "${COMPONENTS[@]}"; do if is_running "$c"; then fresh=; fi; done
  if [[ -n $fresh ]]; then reset_data; else say "lab partly up or unhealthy: repairing it (data kept)"; fi

  # Independent daemons first, all at once; waits come later.
  ensure nats start_nats
  ensure sshd start_sshd
  ensure munged start_munged
  ensure mariadb start_mariadb

  wait_until "munge" munged munge_works
  wait_until "mariadb on 127.0.0.1:$DB_PORT" mariadb mariadb_ready
  setup_accounting_db

  ensure slurmdbd start_slurmdbd
  wait_until "slurmdbd on port $SLURMDBD_PORT" slurmdbd port_listening "$SLURMDBD_PORT"
  ensure_cluster_registered

  ensure slurmctld start_slurmctld
  wait_until "slurmctld" slurmctld slurmctld_ready
  ensure slurmd-node01 start_slurmd_node01
  ensure slurmd-node02 start_slurmd_node02
  # A restarted slurmd's node still looks idle until it re-registers: wait for the ports too.
  wait_until "slurmd ports" slurmd-node01,slurmd-node02 slurmd_ports_listening
  resume_lab_nodes
  wait_until "${NODES[*]} idle" slurmctld,slurmd-node01,slurmd-node02 nodes_ready
  set_spare_node_states
  wait_until "sacct" slurmdbd sacct_answers

  ensure_rest_token
  ensure slurmrestd start_slurmrestd
  wait_until "slurmrestd on 127.0.0.1:$REST_PORT" slurmrestd,slurmctld,slurmdbd slurmrestd_ready

  wait_until "nats on 127.0.0.1:$NATS_PORT" nats port_listening "$NATS_PORT"
  wait_until "sshd on 127.0.0.1:$SSH_PORT" sshd port_listening "$SSH_PORT"
  smoke_test

  write_lab_json
  print_summary up
}

cmd_down() {
  require_root
  lock_lab
  rm -f "$LAB_JSON"
  # Cancel jobs while slurmd can still deliver the signals, so no job processes or
  # slurmstepds outlive the lab.
  if is_running slurmctld; then
    local jobs
    jobs=$(squeue -h -o %A 2>/dev/null | tr '\n' ' ') || true
    if [[ -n ${jobs// /} ]]; then
      say "cancelling jobs: $jobs"
      # shellcheck disable=SC2086
      scancel $jobs 2>/dev/null || true
      local start; start=$(now_us)
      while [[ -n $(squeue -h -t R,CG,S,CF -o %A 2>/dev/null) ]] && (( $(now_us) - start < 15000000 )); do
        sleep 0.2
      done
    fi
  fi
  local i
  for (( i = ${#COMPONENTS[@]} - 1; i >= 0; i-- )); do stop "${COMPONENTS[i]}"; done
  say "lab down (config and data kept in $LAB_DIR)"
}

cmd_status() {
  local c pid rc=0 detail
  for c in "${COMPONENTS[@]}"; do
    detail=${PORT[$c]:+port ${PORT[$c]}}
    [[ $c != munged ]] || detail="socket /run/munge/munge.socket.2"
    if pid=$(pid_of "$c"); then
      if component_up "$c"; then
        printf '%-14s up    pid %-7s %s\n' "$c" "$pid" "$detail"
      else
        printf '%-14s down  pid %-7s %s not listening\n' "$c" "$pid" "$detail"; rc=1
      fi
    else
      printf '%-14s down\n' "$c"; rc=1
    fi
  done
  if is_running slurmctld; then
    echo "slurm nodes    $(sinfo -h -N -o '%N=%t' 2>/dev/null | sort -u | tr '\n' ' ')"
  fi
  if [[ -s $LAB_JSON ]]; then echo "lab.json       $LAB_JSON"; else echo "lab.json       missing"; rc=1; fi
  return "$rc"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status   (lab dir: $LAB_DIR)" >&2; exit 2 ;;
esac
