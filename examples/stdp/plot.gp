# gnuplot script: stdp_*.meas.csv -> stdp.png
set datafile separator ","
set terminal pngcairo size 1100,460 font ",11"
set output "stdp.png"
set multiplot layout 1,2 title "STDP: weight change dW = (W_{after} - W_{before})/W_{before} vs spike timing dt = t_{post} - t_{pre}"
set grid; set key off
set xzeroaxis lt -1; set yzeroaxis lt -1
set title "Yakopcic (level 3), overlapping saw spikes, 5 pairs"
set xlabel "dt (us)"; set ylabel "dW (%)"
plot "stdp_yakopcic.meas.csv" using ($1*1e6):4 skip 1 with linespoints pt 7 ps 0.7 lc rgb "#1f77b4"
set title "thermal memristor (level 7), non-overlapping 50 ns pulses"
set xlabel "dt (ns)"
plot "stdp_kim.meas.csv" using ($1*1e9):4 skip 1 with linespoints pt 7 ps 0.7 lc rgb "#d62728"
unset multiplot
