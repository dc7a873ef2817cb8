# gnuplot script: out/{oscillator,lif,vo2_neuristor,neuristor_*,hh,noci_*,vo2_*}.csv -> neurons.png
set datafile separator ","
set terminal pngcairo size 1200,2100 font ",11"
set output "neurons.png"
set multiplot layout 7,1
set grid; set key top right
set xlabel "time (us)"
set title "relaxation oscillator (threshold switch, vin = 3 V, RL 10k, 1 nF)"
set ylabel "v (V)"
plot "out/oscillator.csv" using ($1*1e6):"v(out)" skip 0 with lines lw 1.5 title "v(out)"
set title "leaky integrate-and-fire neuron (2 us, 3 V input pulses every 5 us)"
set ylabel "v (V)"
plot "out/lif.csv" using ($1*1e6):"v(mem)" with lines lw 1.5 title "membrane v(mem)", \
     "out/lif.csv" using ($1*1e6):(5*column("v(out)")) with lines lw 1.5 title "output spikes 5 v(out)"
set title "VO2 thermal neuristor (13.44 V, 12k, 145 pF, 325 K)"
set ylabel "i (mA)"; set y2label "T (K)"; set y2tics; set ytics nomirror
plot "out/vo2_neuristor.csv" using ($1*1e6):(1e3*column("i(yvo2!d1)")) with lines lw 1.5 title "device current", \
     "out/vo2_neuristor.csv" using ($1*1e6):"temp(yvo2!d1)" axes x1y2 with lines lw 1.5 title "temperature"
unset y2label; unset y2tics; set ytics mirror
set title "Mott neuristor (two NbO2 channels): tonic spiking at 0.9 V, bursting at 1.5 V"
set ylabel "v(out) (V)"
plot "out/neuristor_tonic.csv" using ($1*1e6):"v(out)" with lines lw 1.5 title "0.9 V", \
     "out/neuristor_burst.csv" using ($1*1e6):(column("v(out)")-1.2) with lines lw 1.5 title "1.5 V (shifted -1.2 V)"
set title "Hodgkin-Huxley-like action potential (Na-like and K-like Mott channels, 0.5 us stimulus at 1 us)"
set ylabel "v (V)"
plot "out/hh.csv" using ($1*1e6):"v(out)" with lines lw 1.5 title "membrane v(out)", \
     "out/hh.csv" using ($1*1e6):"v(n1)" with lines lw 1.5 title "Na node v(n1)"
set title "diffusive Ag nociceptor: output delay shrinks with the stimulus (20 ms pulse at 1 ms)"
set xlabel "time (ms)"; set ylabel "v(out) (V)"
plot "out/noci_0.7.csv" using ($1*1e3):"v(out)" with lines lw 1.5 title "0.7 V", \
     "out/noci_1.csv" using ($1*1e3):"v(out)" with lines lw 1.5 title "1 V", \
     "out/noci_2.csv" using ($1*1e3):"v(out)" with lines lw 1.5 title "2 V"
set title "VO2 neuron modes from one circuit (12 V step at 5 us): tonic, phasic (Cin 1 nF), bursting (C2 50 pF)"
set xlabel "time (us)"; set ylabel "v(out) (V, shifted)"
plot "out/vo2_tonic.csv" using ($1*1e6):"v(out)" with lines lw 1.2 title "tonic", \
     "out/vo2_phasic.csv" using ($1*1e6):(column("v(out)")-7) with lines lw 1.2 title "phasic (-7 V)", \
     "out/vo2_burst.csv" using ($1*1e6):(column("v(out)")-14) with lines lw 1.2 title "bursting (-14 V)"
unset multiplot
