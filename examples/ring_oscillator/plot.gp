# gnuplot script: out/ring_oscillator.csv -> out/ring_oscillator.png
# run.sh passes the measured period: gnuplot -e "period_ns=0.921" plot.gp
set datafile separator ","
set terminal pngcairo size 900,640 font ",11"
set output "out/ring_oscillator.png"
if (!exists("period_ns")) period_ns = 0
csv = "out/ring_oscillator.csv"
set xrange [0:5]
set grid
set lmargin 10; set rmargin 14
set multiplot layout 2,1 title (period_ns > 0 ? \
    sprintf("5-stage CMOS ring oscillator (level-1 MOSFETs): period %.3f ns, %.3f GHz", period_ns, 1/period_ns) : \
    "5-stage CMOS ring oscillator (level-1 MOSFETs)")
set ylabel "voltage (V)"
set yrange [-0.3:3.6]
set format x ""
set key outside right
set arrow 1 from graph 0, first 1.65 to graph 1, first 1.65 nohead dt 2 lc rgb "gray40"
set label 1 "vdd/2" at graph 1.01, first 1.65 left tc rgb "gray40"
plot for [col in "2 3 4"] csv every ::1 using ($1*1e9):(column(col+0)) \
     with lines lw 2 title columnhead(col+0)
unset arrow 1; unset label 1
set ylabel "supply current (mA)"
set yrange [*:*]
set format x "%g"
set xlabel "time (ns)"
plot csv every ::1 using ($1*1e9):(-column(7)*1e3) with lines lw 1.5 lc rgb "dark-red" title "-i(vdd)"
unset multiplot
