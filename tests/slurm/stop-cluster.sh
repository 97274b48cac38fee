#!/usr/bin/env bash
# Stop the test cluster started by tests/slurm/start-cluster.sh.
#
# Stops each daemon by the PID file it wrote (never by process name, so nothing else on the
# machine is touched), newest first. The state directory (database, munge key) is kept so the
# next start is fast; delete it to start from scratch.
#
# Environment: SLURM_TEST_STATE_DIR [/tmp/shallownet-slurm], SLURM_TEST_TIMEOUT [60].
set -uo pipefail

STATE_DIR=${SLURM_TEST_STATE_DIR:-/tmp/shallownet-slurm}
TIMEOUT=${SLURM_TEST_TIMEOUT:-60}
RUN=$STATE_DIR/run
SYSTEM_SLURM_CONF=/etc/slurm/slurm.conf

say() { echo "stop-cluster: $*" >&2; }

# Send SIGTERM to the process in the PID file, wait for it to exit, SIGKILL it if it does not.
stop_by_pid_file() {
    local name=$1 pid_file=$RUN/$1.pid pid
    [ -s "$pid_file" ] || return 0
    pid=$(cat "$pid_file")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        local deadline=$((SECONDS + TIMEOUT))
        while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            say "$name (pid $pid) ignored SIGTERM for ${TIMEOUT}s; killing it"
            kill -KILL "$pid"
        fi
    fi
    rm -f "$pid_file"
}

# Jobs still running would outlive slurmd (their slurmstepd is a separate process).
if [ -s "$RUN/slurmctld.pid" ] && kill -0 "$(cat "$RUN/slurmctld.pid")" 2>/dev/null; then
    job_ids=$(timeout 10 squeue --noheader --format=%i 2>/dev/null)
    if [ -n "$job_ids" ]; then
        say "cancelling jobs: $(echo $job_ids)"
        # shellcheck disable=SC2086  # one argument per job id
        timeout 10 scancel $job_ids
        sleep 2
    fi
fi

for daemon in slurmd slurmctld slurmdbd mariadb munged; do
    stop_by_pid_file "$daemon"
done

# Remove the client config link only if it points at this cluster.
if [ -L "$SYSTEM_SLURM_CONF" ] && [ "$(readlink "$SYSTEM_SLURM_CONF")" = "$STATE_DIR/etc/slurm.conf" ]; then
    rm -f "$SYSTEM_SLURM_CONF"
fi
say "stopped (state kept in $STATE_DIR)"
