#!/usr/bin/env bash
# CPU used by an idle lockstep over 10 s: the app opens `counter` (stopped at
# its first step) in tmux and nobody touches it. Prints the share of one core.
set -euo pipefail
bin=${1:-target/release/lockstep}
sock=lockstep-idle-$$
tmux -L "$sock" new-session -d -x 200 -y 60 "$bin counter"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
pane=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
sleep 2   # let it start and draw
ticks() { awk '{print $14 + $15}' "/proc/$pane/stat"; }
hz=$(getconf CLK_TCK)
a=$(ticks); sleep 10; b=$(ticks)
awk -v a="$a" -v b="$b" -v hz="$hz" 'BEGIN { printf "idle app: %.2f%% of one core over 10 s\n", (b - a) / hz / 10 * 100 }'
