# gnuplot script: out/rectifier.csv -> out/rectifier.png
# run.sh passes the measured last cycle: gnuplot -e "vpeak=9.27; ripple=1.51" plot.gp
set datafile separator ","
set terminal pngcairo size 900,640 font ",11"
set output "out/rectifier.png"
csv = "out/rectifier.csv"
set xrange [0:100]
set grid
set lmargin 10; set rmargin 14
set multiplot layout 2,1 title (exists("ripple") ? \
    sprintf("Half-wave rectifier, 100 uF || 1 kOhm: last cycle peak %.2f V, ripple %.2f V", vpeak, ripple) : \
    "Half-wave rectifier, 100 uF || 1 kOhm")
set ylabel "voltage (V)"
set format x ""
set key outside right
plot csv every ::1 using ($1*1e3):2 with lines lw 1.5 lc rgb "gray50" title "v(in)", \
     csv every ::1 using ($1*1e3):3 with lines lw 2 lc rgb "blue" title "v(out)"
set ylabel "diode current (mA)"
set format x "%g"
set xlabel "time (ms)"
plot csv every ::1 using ($1*1e3):(-$4*1e3) with lines lw 1.5 lc rgb "dark-red" title "-i(v1)"
unset multiplot
