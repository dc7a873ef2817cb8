# gnuplot script: out/rc_ladder.csv -> out/rc_ladder.png
set datafile separator ","
set terminal pngcairo size 900,520 font ",11"
set output "out/rc_ladder.png"
set title "Pulse diffusing along a 50-section RC ladder (memspice)"
set xlabel "time (ns)"
set ylabel "voltage (V)"
set key outside right
set grid
plot for [col in "2 3 4 5 6"] "out/rc_ladder.csv" every ::1 using ($1*1e9):(column(col+0)) \
     with lines lw 2 title columnhead(col+0)
