# chart.gp: bench/chart.png from report.py's chart data (blocks: throughput, memory, cpu, rtt).
# gnuplot -e "data='bench/work/chart.dat'; out='bench/chart.png'" bench/chart.gp
# (report.py also writes data.vars, naming the server of the round-trip panel)
load data.".vars"
set terminal pngcairo size 1400,1000 font "Sans,10" noenhanced
set output out
set datafile missing "NaN"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set grid ytics
set xtics rotate by -20 left nomirror
set key off
set multiplot layout 2,2 title "smtpx against PHPMailer, Symfony Mailer and smtp-source (bench/results.md)"

set title "Warm throughput to smtp-sink (messages/s, log scale, higher is better)"
set logscale y
plot data index 0 using 2:xtic(1) linecolor rgb "#3070b0"
unset logscale y

set title "Round trips per message in the send, ".rtt_server." (lower is better)"
set key top left
set yrange [0:*]
set offsets 0, 0, 3, 0
plot data index 3 using 2:xtic(1) title "cold (new connection)" linecolor rgb "#b05030", \
     '' index 3 using 3 title "warm (per extra message)" linecolor rgb "#50a050"
set key off
set offsets 0, 0, 0, 0

set title "25 MB attachment: RSS growth (MB, lower is better; missing = failed)"
plot data index 1 using 2:xtic(1) linecolor rgb "#8050a0"

set title "CPU time per message on a kept connection (µs, perf task-clock, log scale, lower is better)"
set logscale y
set yrange [10:*]
plot data index 2 using 2:xtic(1) linecolor rgb "#c09020"
unset multiplot
