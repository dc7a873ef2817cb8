set terminal pngcairo size 900,600
set datafile separator ","
set logscale xy
set key top left
set grid

set output "sneak_read.png"
set title "Reading one low-resistance cell among high-resistance ones (0.2 V, 1 ohm segments)"
set xlabel "array size N (NxN)"
set ylabel "|relative error of the sense current|"
plot for [r in "10 100 1000"] \
       "< awk -F, 'NR > 1 && $2 == ".r."' sneak_read.csv" using 1:(abs($3)) with linespoints title "floating, on/off ".r, \
     for [r in "10 100 1000"] \
       "< awk -F, 'NR > 1 && $2 == ".r."' sneak_read.csv" using 1:(abs($5)) with linespoints dashtype 2 title "V/3, on/off ".r

set output "ir_drop.png"
set title "Vector-matrix multiply: column currents against I = G^T V"
set ylabel "relative RMS error"
plot for [w in "0.5 2 8"] \
       "< awk -F, 'NR > 1 && $2 == ".w."' ir_drop.csv" using 1:3 with linespoints title w." ohm per segment"

set output "set_compliance.png"
unset logscale
set title "1T1R SET: 2 V, 2 ms on the row, the access transistor limits the current"
set xlabel "gate voltage (V)"
set ylabel "state after SET"
set y2label "peak cell current (mA)"
set y2tics
set ytics nomirror
plot "set_compliance.csv" using 1:2 every ::1 with linespoints title "state x after SET", \
     "set_compliance.csv" using 1:3 every ::1 axes x1y2 with linespoints title "peak current (mA)"
