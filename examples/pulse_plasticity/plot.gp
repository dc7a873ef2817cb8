# gnuplot script: out/plasticity.csv -> out/plasticity.png
set datafile separator ","
set terminal pngcairo size 1100,480 font ",11"
set output "out/plasticity.png"
set multiplot layout 1,2 title "Yakopcic memristor: conductance after each program pulse (20 positive, then 20 negative)"
set xlabel "pulse number"; set ylabel "conductance G at 50 mV (mS)"; set grid
set key top right
set title "width 20 us"
plot for [amp in "0.4 0.5 0.6"] "out/plasticity.csv" using ((strcol(1) eq "amplitude" && strcol(2) eq amp) ? $4 : NaN):($6*1e3) \
     with linespoints pt 7 ps 0.6 title sprintf("%s V", amp)
set title "amplitude 0.5 V"
plot for [wid in "10e-6 20e-6 40e-6"] "out/plasticity.csv" using ((strcol(1) eq "width" && strcol(3) eq wid) ? $4 : NaN):($6*1e3) \
     with linespoints pt 7 ps 0.6 title (wid eq "10e-6" ? "10 us" : wid eq "20e-6" ? "20 us" : "40 us")
unset multiplot
