#!/usr/bin/env bash
# Trains the Zstandard dictionaries of CompactText (engine/QcdcCompliance.Engine/Domain/CompactText.cs) from the
# evidence and the e-mails that databases hold, with the zstd command line (Debian's zstd).
#   scripts/train-dictionaries.sh ID_EVIDENCE ID_MAIL DB [DB...]
# writes Domain/Dictionaries/evidence-ID_EVIDENCE.zdict and mail-ID_MAIL.zdict. A new dictionary gets a NEW id, added
# to CompactText's list after the old ones: rows compressed with an old dictionary must stay readable.
# The shipped ones (1601, 1602) were trained on the demo province (qcdc demo) and the 20,000-unit findings-heavy
# profile (qcdc-bench bench --profile heavy --units 20000), both written before the bodies were compressed.
set -euo pipefail
evidence_id=$1 mail_id=$2
shift 2
out=$(cd "$(dirname "$0")/.." && pwd)/engine/QcdcCompliance.Engine/Domain/Dictionaries
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/evidence" "$work/mail"
python3 - "$work" "$@" <<'PY'
import sqlite3, sys, os
work, dbs = sys.argv[1], sys.argv[2:]
def text(v):
    # Rows written by a build with CompactText are frames; this trains on text rows only.
    if isinstance(v, bytes):
        return None if v[:4] == b'\x28\xb5\x2f\xfd' else v.decode('utf-8')
    return v
n = 0
for db in dbs:
    c = sqlite3.connect(db)
    # Every 7th finding, at most 64 KB each (an area finding's unit lists are long and alike), and every 5th message.
    for (e,) in c.execute("select Evidence from Findings where Id % 7 = 0 order by Id"):
        e = text(e)
        if e:
            open(os.path.join(work, 'evidence', str(n)), 'w', encoding='utf-8').write(e[:65536]); n += 1
    for (t, h) in c.execute("select TextBody, HtmlBody from OutboxMessages where Id % 5 = 0 order by Id"):
        for body in (text(t), text(h)):
            if body:
                open(os.path.join(work, 'mail', str(n)), 'w', encoding='utf-8').write(body); n += 1
PY
zstd --train -q -r "$work/evidence" --maxdict=65536 --dictID="$evidence_id" -o "$out/evidence-$evidence_id.zdict"
zstd --train -q -r "$work/mail" --maxdict=112640 --dictID="$mail_id" -o "$out/mail-$mail_id.zdict"
ls -l "$out"
