# gnuplot script: out/rlc.csv -> out/rlc.png (simulation and analytic curve)
set datafile separator ","
set terminal pngcairo size 900,520 font ",11"
set output "out/rlc.png"
alpha = 5000.0; wd = sqrt(1/(1e-3*1e-6) - alpha**2)
exact(t) = 1 - exp(-alpha*t)*(cos(wd*t) + alpha/wd*sin(wd*t))
set title "Series RLC step response: memspice points and the analytic solution"
set xlabel "time (us)"; set ylabel "v(b) (V)"; set grid; set key bottom right
set samples 2000
plot "out/rlc.csv" every ::1 using ($1*1e6):2 with points pt 7 ps 0.4 title "memspice v(b)", \
     [0:1000] exact(x*1e-6) with lines lw 1.5 title "analytic"
