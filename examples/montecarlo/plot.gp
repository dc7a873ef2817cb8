# gnuplot script: crossbar16_mc.meas.csv -> montecarlo.png (run.sh passes nominal=<A>)
set datafile separator ","
set terminal pngcairo size 900,520 font ",11"
set output "montecarlo.png"
# all 16 columns of every run in one list
set table $pool
plot for [c=2:17] "crossbar16_mc.meas.csv" using (column(c)*1e6) skip 1 with table
unset table
stats $pool using 1 nooutput
binw = 2.0
bin(x) = binw * floor(x / binw) + binw / 2
set title sprintf("16x16 crossbar, 200 Monte Carlo runs: %d column currents\nmean %.1f uA, sigma %.2f uA (%.2f%%); without variation %.1f uA", \
                  STATS_records, STATS_mean, STATS_stddev, 100 * STATS_stddev / STATS_mean, nominal * 1e6)
set xlabel "column read current (uA) at 0.2 V"
set ylabel "count"
set grid
set style fill solid 0.6 border -1
set arrow from nominal*1e6, graph 0 to nominal*1e6, graph 1 nohead lw 2 lc rgb "#d62728" front
set offsets 0, 0, graph 0.12, 0
set label "without variation" at nominal*1e6, graph 0.95 right offset -1,0 tc rgb "#d62728" front
plot $pool using (bin($1)):(1.0) smooth frequency with boxes lc rgb "#1f77b4" notitle
