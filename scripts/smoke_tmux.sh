#!/usr/bin/env bash
# Smoke test: run the real app in tmux, press keys like a person, read the screen.
# Usage: scripts/smoke_tmux.sh [IMGTUI_COMMAND]   (default: .venv/bin/imgtui)
# Exit 0 when every expected text appeared; prints the screen that failed otherwise.
set -euo pipefail
[ -n "${SMOKE_DEBUG:-}" ] && set -x
cd "$(dirname "$0")/.."
IMGTUI=${1:-.venv/bin/imgtui}
# Textual obeys COLUMNS/LINES over the real terminal size; test runners often set them.
unset COLUMNS LINES
work=$(mktemp -d)
session="imgtui-smoke-$$"
cp data/demo.json "$work/demo.json"
before=$(sha256sum "$work/demo.json" | cut -d' ' -f1)
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Size the window first, then start the app in it: some tmux versions size a
# detached session by default-size (80x24) whatever -x/-y say.
tmux new-session -d -s "$session" -x 100 -y 32 "sleep 600"
tmux set-option -t "$session" window-size manual >/dev/null 2>&1 || true
tmux resize-window -t "$session" -x 100 -y 32 >/dev/null 2>&1 || true
tmux respawn-pane -k -t "$session" \
    "env -u COLUMNS -u LINES $IMGTUI --db $work/demo.json --today 2026-11-23; echo EXITED; sleep 5"
expect() {  # expect TEXT [SECONDS]: wait until TEXT is on the screen
    local text=$1 wait=${2:-10} screen
    for _ in $(seq 1 $((wait * 10))); do
        screen=$(tmux capture-pane -p -t "$session")
        if grep -qF -- "$text" <<<"$screen"; then return 0; fi
        sleep 0.1
    done
    echo "smoke: expected '$text' on screen; saw:" >&2
    echo "$screen" >&2
    exit 1
}
keys() { tmux send-keys -t "$session" "$@"; sleep 0.3; }

tmux display -p -t "$session" "smoke: window #{window_width}x#{window_height}" >&2
expect "Today, Monday 23 November 2026" 20
expect "Exam decision: BORDERLINE"
expect "WHAT-IF as of 2026-11-23"   # --today is a what-if: a copy, and the title says so
keys 3
expect "Study plan"
expect "BORDERLINE"
keys a
expect "Log practice exam"
keys -l "UWSA 1"
keys Tab Tab
keys -l "214"
keys Enter
expect "DELAY"
expect "UWSA 1 214 is 21 below the 235 target"
keys 4
expect "St. Mary [Main] Campus"
keys a
expect "New USCE site"
keys -l "Smoke [/] Test Hospital"
keys Enter
expect "Smoke [/] Test Hospital"
keys d
expect "Delete site Smoke [/] Test Hospital"
keys y
keys C-z
expect "Undone:"
keys 1
expect "Latest UWSA 1 214"
keys C-q
expect "EXITED"
# A what-if never changes the user's file.
[ "$(sha256sum "$work/demo.json" | cut -d' ' -f1)" = "$before" ] || { echo "smoke: the what-if changed the file" >&2; exit 1; }

# Second start, then keys sent in bursts, as a fast typist or a paste would: "4/lake"
# right after start filters, an editor given "End ctrl+u 7 Enter" at once saves 7, and a
# form typed with its Tabs fills each field.
tmux respawn-pane -k -t "$session" \
    "env -u COLUMNS -u LINES $IMGTUI --db $work/demo.json; echo EXITED; sleep 5"
expect "Today, " 20
tmux send-keys -t "$session" 4 / l a k e
expect "Lakeside Community Hospital"
keys Enter
keys Right Right Right Right Right Right Enter
expect "Lakeside Community Hospital: Weeks"
tmux send-keys -t "$session" End C-u 7 Enter
sleep 1
# A whole exam form in one burst, Tabs included: each value lands in its field.
keys 3
expect "Study plan"
keys a
expect "Log practice exam"
tmux send-keys -t "$session" "NBME 13" Tab Tab 238 Enter
expect "Logged practice exam"
keys C-q
expect "EXITED"
# The file the app wrote opens in stock TinyDB and holds what was typed.
"$(dirname "$IMGTUI")/python" - "$work/demo.json" <<'PY'
import sys
from tinydb import TinyDB
db = TinyDB(sys.argv[1])
assert [d["weeks"] for d in db.table("usce_sites").all() if d["name"] == "Lakeside Community Hospital"] == [7]
assert [d["score"] for d in db.table("practice_exams").all() if d["form"] == "NBME 13"] == [238]
PY
echo "smoke: ok"
