#!/usr/bin/env bash
# install-e2e-deps.sh: install what the end-to-end tier (e2e/) needs, on Debian/Ubuntu, as root.
#
#   sendmail-bin sendmail-cf m4   the real MTA the tier drives (with a private config per test)
#   swaks                         a real SMTP client (Debian package)
#   libnet-ssleay-perl            gives swaks --tls (STARTTLS)
#   openssl                       openssl s_client -starttls smtp
#   python3                       smtplib client and the /dev/log datagram listener
#   util-linux (unshare, mount)   private UTS + mount namespaces for each sendmail call
#   iproute2 (ss)                 the hardening tier reads a listener's backlog from the kernel
#   prometheus                    promtool (check metrics, test rules) and the server the e2e tier
#                                 starts itself on 127.0.0.1; the package's own service is never started
#   postfix's smtp-source         extracted with apt-get download + dpkg -x (installing postfix would
#                                 replace sendmail): scripts/fetch-postfix.sh when present
#
# Idempotent, non-interactive (no stdin needed), starts no daemon and leaves none running.
# It does not configure the machine's own sendmail: the tests never read or write /etc/mail.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive

log() { echo "install-e2e-deps: $*" >&2; }
die() { log "$*"; exit 1; }

[[ "$(id -u)" == 0 ]] || die "must run as root (try: sudo bash .ci/install-e2e-deps.sh)"
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: the e2e tier needs a Debian-like machine"

packages=(sendmail-bin sendmail-cf m4 swaks libnet-ssleay-perl openssl python3 util-linux iproute2 prometheus)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

sendmail_pids() { pgrep -x sendmail 2>/dev/null || true; }
running_before="$(sendmail_pids)"
prometheus_pids() { pgrep -x prometheus 2>/dev/null || true; }
prometheus_before="$(prometheus_pids)"

if ((${#missing[@]} > 0)); then
  # sendmail-bin's and prometheus' postinsts start their services (invoke-rc.d, deb-systemd-invoke):
  # a policy-rc.d that exits 101 forbids it.
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# written by .ci/install-e2e-deps.sh for the duration of apt-get install\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=1
  fi
  cleanup_policy() { if ((created_policy)); then rm -f "$policy"; fi; }
  trap cleanup_policy EXIT

  log "installing: ${missing[*]}"
  apt-get update -qq </dev/null
  # The postinst runs sendmail a few times; with an undotted host name each start sleeps 60 s
  # ("My unqualified host name ... unknown"), so run apt-get with a dotted one in a private UTS namespace.
  install_cmd=(apt-get install -y -qq --no-install-recommends "${missing[@]}")
  if command -v unshare >/dev/null 2>&1 && unshare --uts true 2>/dev/null; then
    unshare --uts sh -c 'hostname e2e-install.localdomain && exec "$@"' sh "${install_cmd[@]}" </dev/null
  else
    "${install_cmd[@]}" </dev/null
  fi
  cleanup_policy
  trap - EXIT
else
  log "packages already installed: ${packages[*]}"
fi

# Make sure the install left no sendmail daemon behind (one that ran before is the machine's business).
if [[ -z "$running_before" && -n "$(sendmail_pids)" ]]; then
  log "stopping the sendmail daemon the package started"
  if [[ -x /etc/init.d/sendmail ]]; then /etc/init.d/sendmail stop </dev/null >/dev/null 2>&1 || true; fi
  for pid in $(sendmail_pids); do kill "$pid" 2>/dev/null || true; done
  sleep 1
  [[ -z "$(sendmail_pids)" ]] || die "a sendmail process is still running after the install: $(sendmail_pids | tr '\n' ' ')"
fi

# Nor a Prometheus daemon (the tier starts its own, on loopback, with a temp config).
if [[ -z "$prometheus_before" && -n "$(prometheus_pids)" ]]; then
  log "stopping the prometheus daemon the package started"
  if command -v systemctl >/dev/null 2>&1; then systemctl stop prometheus </dev/null >/dev/null 2>&1 || true; fi
  if [[ -x /etc/init.d/prometheus ]]; then /etc/init.d/prometheus stop </dev/null >/dev/null 2>&1 || true; fi
  for pid in $(prometheus_pids); do kill "$pid" 2>/dev/null || true; done
  sleep 1
  [[ -z "$(prometheus_pids)" ]] || die "a prometheus process is still running after the install: $(prometheus_pids | tr '\n' ' ')"
fi

[[ -x /usr/libexec/sendmail/sendmail ]] || die "/usr/libexec/sendmail/sendmail missing after install"
[[ -f /usr/share/sendmail/cf/m4/cf.m4 ]] || die "/usr/share/sendmail/cf/m4/cf.m4 missing (sendmail-cf)"
command -v swaks >/dev/null 2>&1 || die "swaks missing after install"
command -v openssl >/dev/null 2>&1 || die "openssl missing after install"
perl -MNet::SSLeay -e 1 2>/dev/null || die "Net::SSLeay missing after install (package libnet-ssleay-perl; swaks --tls needs it)"
command -v promtool >/dev/null 2>&1 || die "promtool missing after install (package prometheus)"
command -v prometheus >/dev/null 2>&1 || die "prometheus missing after install (package prometheus)"

# Postfix's smtp-source, extracted into <repo>/.cache/postfix.
if [[ -f "$repo_root/scripts/fetch-postfix.sh" ]]; then
  bash "$repo_root/scripts/fetch-postfix.sh" >&2
else
  dest="$repo_root/.cache/postfix"
  if [[ ! -x "$dest/usr/sbin/smtp-source" ]]; then
    apt-cache show postfix >/dev/null 2>&1 || apt-get update -qq </dev/null
    tmp="$(mktemp -d)"
    chmod 777 "$tmp" # apt-get download runs as _apt when started as root
    (cd "$tmp" && apt-get download -qq postfix </dev/null)
    mkdir -p "$dest"
    dpkg -x "$tmp"/postfix_*.deb "$dest"
    rm -rf "$tmp"
  fi
  LD_LIBRARY_PATH="$dest/usr/lib/postfix" "$dest/usr/sbin/smtp-source" 2>&1 | grep -q 'error while loading' &&
    die "smtp-source does not load"
fi

log "done"
