#!/bin/sh
# Example for the no-log mail server: post the daily quota usage to Odoo,
# fetch the quota feed, and run the Trash purges Odoo asks for.
#
# Configure in /etc/default/nolog-report (never commit the key):
#   NOLOG_URL=https://odoo.example.org
#   NOLOG_KEY=nolog_xxxxxxxx_...
# Run daily from cron, e.g.: 15 3 * * * root /usr/local/sbin/nolog_report_usage.sh
set -eu

[ -r /etc/default/nolog-report ] && . /etc/default/nolog-report
: "${NOLOG_URL:?set NOLOG_URL}"
: "${NOLOG_KEY:?set NOLOG_KEY}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1. Usage: totals and message counts, in KiB, for every user.
doveadm -f tab quota get -A > "$WORK/usage.tsv"
curl --fail-with-body -sS --max-time 300 -X POST \
  -H "Authorization: Bearer $NOLOG_KEY" \
  -H "Content-Type: text/plain" \
  --data-binary @"$WORK/usage.tsv" \
  "$NOLOG_URL/nolog/api/v1/usage?format=doveadm_tab"
echo

# Optional: per-folder sizes (Trash, Spam...), for the Trash share and the
# purge estimates. Maildir layout /var/vmail/<domain>/<user>/Maildir.
# du -sb /var/vmail/*/*/Maildir /var/vmail/*/*/Maildir/.[!.]* > "$WORK/du.txt"
# curl --fail-with-body -sS --max-time 300 -X POST \
#   -H "Authorization: Bearer $NOLOG_KEY" -H "Content-Type: text/plain" \
#   --data-binary @"$WORK/du.txt" "$NOLOG_URL/nolog/api/v1/usage?format=du"

# 2. Quota feed: one line per mailbox, for a passwd-file userdb or a review.
curl --fail-with-body -sS --max-time 120 \
  -H "Authorization: Bearer $NOLOG_KEY" \
  "$NOLOG_URL/nolog/api/v1/feed?format=dovecot" > "$WORK/quota-feed.txt"
install -m 0640 "$WORK/quota-feed.txt" /var/lib/nolog/quota-feed.txt

# 3. Trash purges asked by Odoo (requires jq).
curl --fail-with-body -sS --max-time 120 \
  -H "Authorization: Bearer $NOLOG_KEY" \
  "$NOLOG_URL/nolog/api/v1/purge" > "$WORK/purge.json"
for id in $(jq -r '.requests[].id' "$WORK/purge.json"); do
  jq -r --argjson id "$id" \
    '.requests[] | select(.id == $id) | .mailboxes[] | [.address, .savedbefore] | @tsv' \
    "$WORK/purge.json" |
    while IFS="$(printf '\t')" read -r address age; do
      doveadm expunge -u "$address" mailbox Trash savedbefore "$age"
    done
  curl --fail-with-body -sS --max-time 60 -X POST \
    -H "Authorization: Bearer $NOLOG_KEY" -H "Content-Type: application/json" \
    -d '{}' "$NOLOG_URL/nolog/api/v1/purge/$id/done"
  echo
done
