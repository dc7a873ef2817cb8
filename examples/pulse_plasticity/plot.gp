# gnuplot script: out/pulse_*.meas.csv -> plasticity.png
# Each table row is one .step point: its first column the stepped value,
# then g00..g40; read as a matrix, column c of row r is G after pulse c-1.
set datafile separator ","
set terminal pngcairo size 1100,480 font ",11"
set output "plasticity.png"
set multiplot layout 1,2 title "Yakopcic memristor: conductance after each program pulse (20 positive, then 20 negative)"
set xlabel "pulse number"; set ylabel "conductance G at 50 mV (mS)"; set grid
set key top right
set title "width 20 us"
amps = "0.4 0.5 0.6"
plot for [r=1:3] "out/pulse_amplitude.meas.csv" matrix skip 1 every :::r-1::r-1 \
     using (($1 >= 1 && $1 <= 41) ? $1 - 1 : NaN):($3*1e3) with linespoints pt 7 ps 0.6 title sprintf("%s V", word(amps, r))
set title "amplitude 0.5 V"
widths = "10 20 40"
plot for [r=1:3] "out/pulse_width.meas.csv" matrix skip 1 every :::r-1::r-1 \
     using (($1 >= 1 && $1 <= 41) ? $1 - 1 : NaN):($3*1e3) with linespoints pt 7 ps 0.6 title sprintf("%s us", word(widths, r))
unset multiplot
