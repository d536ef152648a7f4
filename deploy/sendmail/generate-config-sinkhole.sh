# Sinkhole route: the block for smtp-out's docker/shared/generate-config.sh, after it renders the mailertable
# and before makemap. Terraform sets SINKHOLE_ENABLED=true on the smtp_out task only when var.sinkhole is on.
# The host is bracketed (no MX lookup) and has no ":25": in a mailertable ":" separates fallback hosts
# (README.md next to this file); the smtp mailer connects to port 25 already.
if [ "${SINKHOLE_ENABLED:-}" = "true" ]; then
  mailertable="${MAILERTABLE:-/etc/mail/mailertable}"
  # generate-config.sh rewrites the file on every reconfigure; the grep keeps a re-run from adding it twice.
  if ! grep -q '^sinkhole\.test[[:space:]]' "$mailertable" 2>/dev/null; then
    printf 'sinkhole.test\tsmtp:[sinkhole.cabal.internal]\n' >> "$mailertable"
  fi
fi
