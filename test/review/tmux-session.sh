#!/usr/bin/env bash
# A real terminal session of `llmops review grade` in tmux: grade two items, press Ctrl-C in the
# middle of the third, start again and check it resumes at the third, grade it with one burst of
# keys (as a paste arrives), then "save and quit". Needs tmux and a built CLI (`npm run build`). Run: bash test/review/tmux-session.sh
# Exits non-zero, printing the screen, if anything is not as expected.
set -euo pipefail
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed (apt-get install -y tmux)"; exit 0; }
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
SESSION="llmops-review-$$"
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cd "$WORK"
python3 - <<'PY'
import json, time
now = int(time.time() * 1000)
with open('log.jsonl', 'w') as f:
    for i in range(1, 9):
        f.write(json.dumps({"request_id": f"req-{i}", "time": now - i * 3600_000, "deployment": "support",
            "variant": "canary" if i % 4 == 0 else "stable",
            "messages": [{"role": "user", "content": f"How long does card delivery {i} take?"}],
            "response": f"Card {i} arrives in {i} days.", "context": f"Cards arrive in {i} working days.", "status": "ok"}) + "\n")
PY
CLI=(node "$ROOT/bin/llmops.js" --db "$WORK/review.db")
BATCH="$("${CLI[@]}" review sample --from log.jsonl --size 4 --seed tmux 2>/dev/null)"
echo "batch: $BATCH"

screen() { tmux capture-pane -p -t "$SESSION" -S -200; }
wait_for() { # text [seconds]
  local deadline=$((SECONDS + ${2:-10}))
  until screen | grep -qF -- "$1"; do
    if ((SECONDS > deadline)); then echo "FAIL: '$1' never appeared. Screen:"; screen; exit 1; fi
    sleep 0.2
  done
}
keys() { tmux send-keys -t "$SESSION" "$@"; sleep 0.3; }
grade() { # accuracy helpfulness safety corrected note
  wait_for "Accuracy"; keys "$1" Enter
  wait_for "Helpfulness"; keys "$2" Enter
  wait_for "Safety"; keys "$3" Enter
  wait_for "Corrected answer"; [ -n "$4" ] && keys -l "$4"; keys Enter
  wait_for "Note"; [ -n "$5" ] && keys -l "$5"; keys Enter
}
start() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  tmux new-session -d -s "$SESSION" -x 120 -y 50 "${CLI[*]} review grade $BATCH --reviewer ana; echo EXIT=\$?; sleep 30"
}

start
wait_for "Item 1 of 4"
grade 2 3 5 "Cards arrive in 1 working day." "wrong number"
wait_for "Item 2 of 4"
grade 5 5 5 "" ""
wait_for "Item 3 of 4"
wait_for "Accuracy"; keys 4 Enter
wait_for "Helpfulness"; keys C-c
wait_for "EXIT=0"
echo "--- first session, after Ctrl-C on item 3 ---"; screen | grep -v '^$' | tail -n 14
screen | grep -qF "Resume with: llmops review grade $BATCH --reviewer ana" || { echo "FAIL: no resume hint"; exit 1; }

start
wait_for "Resuming: 2 of 4 done by ana"
wait_for "Item 3 of 4"
if screen | grep -qF "Item 1 of 4"; then echo "FAIL: item 1 shown again"; exit 1; fi
# Item 3 as a burst, all keys in one send-keys (as a paste arrives): each question takes its own keys.
wait_for "Accuracy"; keys 2 Enter 3 Enter 4 Enter Enter Enter
wait_for "Item 4 of 4"
wait_for "Accuracy"; keys 7 Enter   # q  save and quit
wait_for "EXIT=0"
echo "--- second session ---"; screen | grep -v '^$' | tail -n 14

LIST="$("${CLI[@]}" review list)"
echo "--- review list ---"; echo "$LIST"
echo "$LIST" | grep -qF "3/4 graded" || { echo "FAIL: expected 3/4 graded"; exit 1; }
GRADES="$(node -e "const D = require('$ROOT/node_modules/better-sqlite3'); const db = new D('$WORK/review.db', { readonly: true });
  console.log(db.prepare('SELECT g.accuracy, g.helpfulness, g.safety FROM review_grades g JOIN review_items i USING (batch_id, request_id) WHERE i.position = 3').all().map((r) => [r.accuracy, r.helpfulness, r.safety].join('/')).join(' '))")"
echo "item 3 (burst 2 Enter 3 Enter 4 Enter Enter Enter): $GRADES"
[ "$GRADES" = "2/3/4" ] || { echo "FAIL: the burst on item 3 should grade 2/3/4"; exit 1; }
echo "PASS: graded 2, Ctrl-C on item 3 lost nothing saved, resumed at item 3, graded it by a burst of keys (2/3/4), quit on item 4 (3/4 graded)"
