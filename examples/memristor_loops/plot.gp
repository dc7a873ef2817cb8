# gnuplot script: out/loops_<f>Hz.csv -> out/memristor_loops.png
# columns: time, v(a), i(ymemristor!m1), x(ymemristor!m1), r(ymemristor!m1)
set datafile separator ","
set terminal pngcairo size 1100,480 font ",11"
set output "out/memristor_loops.png"
set multiplot layout 1,2 title "Native linear-drift memristor (HP TiO2, Biolek window), 1.2 V sine through 100 ohm"
set xlabel "v across the device (V)"; set ylabel "current (mA)"; set grid
set key top left
plot for [f in "1 5 25"] sprintf("out/loops_%sHz.csv", f) every ::1 using 2:($3*1e3) with lines lw 1.5 title sprintf("%s Hz", f)
set xlabel "time / period"; set ylabel "state x = w/D"; set yrange [0:1]
set key bottom right
plot for [f in "1 5 25"] sprintf("out/loops_%sHz.csv", f) every ::1 using ($1*f):4 with lines lw 1.5 title sprintf("%s Hz", f)
unset multiplot
