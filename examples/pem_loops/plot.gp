set terminal pngcairo size 1000,450
set output "pem_loops.png"
set datafile separator ","
set multiplot layout 1,2 title "PEM memristor (Xyce level 4), 1.2 V sine through 100 ohm"
set xlabel "v(a) (V)"
set ylabel "i (mA)"
set grid
set key top left
plot for [f in "200 1000 5000"] "out/pem_".f."Hz.csv" using 2:($3*1e3) every ::1 with lines title f." Hz"
set xlabel "time (periods)"
set ylabel "state x"
plot for [f in "200 1000 5000"] "out/pem_".f."Hz.csv" using ($1*f):4 every ::1 with lines title f." Hz"
unset multiplot
