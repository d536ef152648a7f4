#!/bin/sh
# namespace-exec.sh: run one program (sendmail) in its own UTS + mount namespace, so that
#   - it sees a dotted host name (an undotted one makes every sendmail start sleep 60 s),
#   - /etc/hosts is a private file naming that host (no DNS lookups for it),
#   - /dev/log is a private datagram socket captured by the test (sendmail only logs to syslog),
# without changing anything the rest of the machine sees.
#
# Usage (as root):
#   NS_HOSTNAME=mta-a.e2e.test NS_HOSTS_FILE=<file> NS_LOG_SOCKET=<socket> NS_SCRATCH=<dir> \
#     unshare --uts --mount --propagation private sh namespace-exec.sh <program> [args...]
# NS_SCRATCH is a directory this invocation may use alone (the overlay's upper and work dirs).
set -eu

hostname "$NS_HOSTNAME" 2>/dev/null || printf '%s' "$NS_HOSTNAME" >/proc/sys/kernel/hostname
mount --bind "$NS_HOSTS_FILE" /etc/hosts

if [ -S /dev/log ] && [ ! -L /dev/log ]; then
  # A real syslog socket exists: cover it with ours.
  mount --bind "$NS_LOG_SOCKET" /dev/log
else
  # No /dev/log (or a symlink into /run): make /dev a private copy-on-write view, then add ours.
  mkdir -p "$NS_SCRATCH/upper" "$NS_SCRATCH/work"
  if mount -t overlay overlay -o "lowerdir=/dev,upperdir=$NS_SCRATCH/upper,workdir=$NS_SCRATCH/work" /dev 2>/dev/null; then
    :
  else
    # No overlayfs: a tmpfs /dev holding the few nodes sendmail opens.
    mkdir -p "$NS_SCRATCH/realdev"
    mount --rbind /dev "$NS_SCRATCH/realdev"
    mount -t tmpfs -o mode=755 tmpfs /dev
    for node in null zero full random urandom tty; do
      if [ -e "$NS_SCRATCH/realdev/$node" ]; then
        touch "/dev/$node"
        mount --bind "$NS_SCRATCH/realdev/$node" "/dev/$node"
      fi
    done
    ln -s /proc/self/fd /dev/fd
    ln -s /proc/self/fd/0 /dev/stdin
    ln -s /proc/self/fd/1 /dev/stdout
    ln -s /proc/self/fd/2 /dev/stderr
  fi
  rm -f /dev/log
  touch /dev/log
  mount --bind "$NS_LOG_SOCKET" /dev/log
fi

exec "$@"
